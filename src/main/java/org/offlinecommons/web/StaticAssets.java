package org.offlinecommons.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.offlinecommons.store.Hashes;

/**
 * The interface's own files (stylesheets, icon, scripts) under names that carry a hash of their bytes,
 * e.g. {@code /static/app.3f2a9c41d0.css}. A new build changes the name, so browsers may keep
 * each file for a year and never ask again: on a crowded school Wi-Fi every saved request counts.
 */
public final class StaticAssets {

    private record Asset(String type, byte[] bytes) {
    }

    private static final String[][] FILES = {
            {"app", "css", "text/css; charset=utf-8"},
            {"icon", "svg", "image/svg+xml"},
            {"admin", "css", "text/css; charset=utf-8"},
            {"admin", "js", "text/javascript; charset=utf-8"},
            {"suggest", "js", "text/javascript; charset=utf-8"},
    };

    private final Map<String, Asset> byUrlName = new HashMap<>();
    private final Map<String, String> urls = new HashMap<>();

    private StaticAssets() {
    }

    /** Reads and hashes the files once, at startup. */
    public static StaticAssets load() {
        StaticAssets assets = new StaticAssets();
        for (String[] f : FILES) {
            byte[] bytes = read("web/" + f[0] + "." + f[1]);
            if (f[1].equals("css")) {
                bytes = CssMinifier.minify(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }
            String urlName = f[0] + "." + Hashes.sha256Hex(bytes).substring(0, 10) + "." + f[1];
            assets.byUrlName.put(urlName, new Asset(f[2], bytes));
            assets.urls.put(f[0] + "." + f[1], "/static/" + urlName);
        }
        return assets;
    }

    /** The URL of a file by its plain name, e.g. {@code app.css}. */
    public String url(String name) {
        String url = urls.get(name);
        if (url == null) {
            throw new IllegalArgumentException("no static file " + name);
        }
        return url;
    }

    public void register(JavalinConfig config) {
        Handler serve = this::serve;
        config.routes.get("/static/{name}", serve);
        config.routes.head("/static/{name}", serve);
    }

    private void serve(Context ctx) {
        Asset asset = byUrlName.get(ctx.pathParam("name"));
        if (asset == null) {
            throw HttpProblem.notFound("problem.nothingAt", ctx.path());
        }
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.contentType(asset.type());
        ctx.result(asset.bytes());
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " (is the jar complete?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
