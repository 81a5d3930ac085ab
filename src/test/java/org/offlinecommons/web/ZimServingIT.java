package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.pack.ImportResult;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.pack.ZimTestFiles;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.web.content.ContentUrls;

/**
 * Every readable openZIM sample imported into a real library behind a real server: for every entry zimdump
 * (libzim) lists, our server's bytes are zimdump's, and every redirect answers 302 to its target in the pack.
 */
class ZimServingIT {

    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path tmp;

    static List<Path> samples() {
        List<Path> files = new ArrayList<>(ZimTestFiles.readable());
        files.add(ZimTestFiles.SAMPLES.resolve("nons/wikibooks_be_all_nopic_2017-02_splitted.zimaa"));
        files.add(ZimTestFiles.SAMPLES.resolve("withns/wikibooks_be_all_nopic_2017-02_splitted.zimaa"));
        return files;
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyEntryIsServedAsZimdumpShowsIt(Path zim) throws Exception {
        String zimPath = zim.toAbsolutePath().toString().replaceFirst("\\.zimaa$", ".zim");
        try (Library library = Library.open(tmp.resolve("data")); JobRunner jobs = new JobRunner()) {
            ImportResult r = new PackImporter(library).importPack(zim, ProgressListener.NONE);
            try (WebServer server = WebServer.start(library, jobs, WebServer.Options.withoutLogin("127.0.0.1", 0))) {
                String base = "http://127.0.0.1:" + server.port();
                boolean newScheme = zim.getParent().getFileName().toString().equals("nons");
                String details = new String(run("zimdump", "list", "--details", zimPath), StandardCharsets.UTF_8);
                int items = 0;
                int redirects = 0;
                for (String block : details.split("\n(?=path: )")) {
                    String path = field(block, "path");
                    String type = field(block, "type");
                    String packPath = path;
                    if (!newScheme && !path.matches("^[AIJ-]/.*")) {
                        continue; // old-scheme metadata and indexes are no files
                    }
                    String url = base + ContentUrls.file(r.packId(), packPath);
                    HttpResponse<byte[]> got = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (type.equals("redirect")) {
                        redirects++;
                        assertThat(got.statusCode()).as(path).isEqualTo(302);
                        String location = got.headers().firstValue("Location").orElseThrow();
                        assertThat(location).startsWith(ContentUrls.packRoot(r.packId()));
                        HttpResponse<byte[]> target = HTTP.send(HttpRequest.newBuilder(URI.create(base + location))
                                .build(), HttpResponse.BodyHandlers.ofByteArray());
                        assertThat(target.statusCode()).as(location).isEqualTo(200);
                        continue;
                    }
                    items++;
                    List<String> show = new ArrayList<>(List.of("zimdump", "show"));
                    if (newScheme) {
                        show.addAll(List.of("--url", path));
                    } else {
                        show.addAll(List.of("--ns", path.substring(0, 1), "--url", path.substring(2)));
                    }
                    show.add(zimPath);
                    assertThat(got.statusCode()).as(path).isEqualTo(200);
                    assertThat(got.body()).as(path).isEqualTo(run(show));
                    String mime = field(block, "mime-type");
                    assertThat(got.headers().firstValue("Content-Type").orElseThrow()).as(path)
                            .startsWith(mime.split(";")[0]);
                    assertThat(got.headers().firstValue("Content-Security-Policy")).as(path).isPresent();
                }
                assertThat(items).isPositive();
                if (zim.getFileName().toString().startsWith("wikibooks")) {
                    assertThat(redirects).isPositive();
                }
            }
        }
    }

    private static String field(String block, String name) {
        for (String line : block.split("\n")) {
            String l = line.strip();
            if (name.equals("path") && l.startsWith("path: ")) {
                return l.substring("path: ".length());
            }
            if (l.startsWith("* " + name + ":")) {
                return l.substring(l.indexOf(':') + 1).strip();
            }
        }
        throw new IllegalStateException("no " + name + " in " + block);
    }

    static byte[] run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("failed: " + command);
        }
        return out.toByteArray();
    }

    static byte[] run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }
}
