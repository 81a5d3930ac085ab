package org.offlinecommons.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;

/**
 * The page templates (src/main/jte), compiled to classes at build time: the server needs no
 * Java compiler and starts rendering at once. Their {@code ${...}} escapes everything it prints.
 */
public final class Templates {

    private static final String PACKAGE = "org.offlinecommons.web.jte";

    private final TemplateEngine engine =
            TemplateEngine.createPrecompiled(null, ContentType.Html, Templates.class.getClassLoader(), PACKAGE);

    /**
     * Renders {@code name} (e.g. "home.jte") with its single parameter, as UTF-8: the pages'
     * fixed text is stored encoded (binaryStaticContent), and a page is never held as a String
     * only to be encoded again on its way out.
     */
    public byte[] render(String name, Object view) {
        Utf8ByteOutput out = new Utf8ByteOutput(16 * 1024);
        engine.render(name, view, out);
        return out.toByteArray();
    }
}
