package org.offlinecommons.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * The page templates (src/main/jte), compiled to classes at build time: the server needs no
 * Java compiler and starts rendering at once. Their {@code ${...}} escapes everything it prints.
 */
public final class Templates {

    private static final String PACKAGE = "org.offlinecommons.web.jte";

    private final TemplateEngine engine =
            TemplateEngine.createPrecompiled(null, ContentType.Html, Templates.class.getClassLoader(), PACKAGE);

    /** Renders {@code name} (e.g. "home.jte") with its single parameter. */
    public String render(String name, Object view) {
        StringOutput out = new StringOutput(16 * 1024);
        engine.render(name, view, out);
        return out.toString();
    }
}
