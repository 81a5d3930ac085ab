package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.web.http.ErrorMapping;

/**
 * What a person is refused, and the jobs they watch, in their own language: every refusal of
 * {@code web/} is a message key (no English sentence in the code), answered over real HTTP in the
 * visitor's language, and one job reads in French to one visitor and in Spanish to another.
 */
class RefusalsInLanguageTest {

    @RegisterExtension
    static final TestServer server = TestServer.secure();

    @TempDir
    Path tmp;

    private static final Messages FR = Messages.load(Locale.FRENCH);
    private static final Messages ES = Messages.load(Locale.forLanguageTag("es"));
    private static final Messages EN = Messages.load(Locale.ROOT);

    /** A refusal built from anything but a key: {@code HttpProblem.notFound("There is ...")}, {@code t.format(...)}. */
    private static final Pattern REFUSAL = Pattern.compile(
            "HttpProblem\\.(?:notFound|badRequest)\\(\\s*(\\S[^,)]*)"
                    + "|HttpProblem\\.forbidden\\(\\s*\"[^\"]*\",\\s*(\\S[^,)]*)"
                    + "|HttpProblem\\.said\\([^,]+,\\s*[^,]+,\\s*(\\S[^,)]*)"
                    // The sync token's refusal answers other servers only (docs/translating.md).
                    + "|new HttpProblem\\((?!401, \"sync_token_required\")");

    @Test
    void everyRefusalInWebIsAKeyOfTheBundles() throws IOException {
        Path web = Path.of("src/main/java/org/offlinecommons/web");
        List<String> sentences = new ArrayList<>();
        int keys = 0;
        try (Stream<Path> files = Files.walk(web)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = file.getFileName().toString();
                // HttpProblem defines the factories; the sync tree answers only other servers (docs/translating.md).
                if (name.equals("HttpProblem.java") || name.equals("SyncTreeRoutes.java")) {
                    continue;
                }
                Matcher m = REFUSAL.matcher(Files.readString(file));
                while (m.find()) {
                    String arg = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                    if (arg == null) {
                        sentences.add(name + ": new HttpProblem(...) with a fixed sentence");
                        continue;
                    }
                    String key = arg.startsWith("\"") && arg.endsWith("\"") ? arg.substring(1, arg.length() - 1) : null;
                    if (key == null || EN.get(key).equals(key) || FR.get(key).equals(EN.get(key))) {
                        sentences.add(name + ": " + arg);
                    } else {
                        keys++;
                    }
                }
            }
        }
        assertThat(sentences).as("refusals in web/ that are not a translated message key").isEmpty();
        assertThat(keys).as("refusals found, so that the scan itself works").isGreaterThan(40);
    }

    @Test
    void refusalsAnswerInTheVisitorsLanguage() throws Exception {
        Http visitor = server.http();
        Http admin = server.admin();
        for (Messages t : List.of(FR, ES)) {
            String lang = t.locale().getLanguage();
            assertThat(message(visitor.get("/api/v1/packs/nope", "Accept-Language", lang)))
                    .isEqualTo(t.format("error.noPack", "nope"));
            assertThat(message(visitor.get("/api/v1/jobs/zzz", "Accept-Language", lang)))
                    .isEqualTo(t.format("problem.noJob", "zzz"));
            HttpResponse<String> crossSite = visitor.send(visitor.request("/api/v1/packs?name=a.zip")
                    .header("Origin", "http://elsewhere.example").header("Accept-Language", lang)
                    .POST(HttpRequest.BodyPublishers.ofString("x")));
            assertThat(crossSite.statusCode()).isEqualTo(403);
            assertThat(message(crossSite)).isEqualTo(t.get("problem.crossSite")).isNotEqualTo(EN.get("problem.crossSite"));
            HttpResponse<String> noLogin = visitor.send(visitor.request("/api/v1/packs?name=a.zip")
                    .header("Origin", server.url()).header("Accept-Language", lang)
                    .POST(HttpRequest.BodyPublishers.ofString("x")));
            assertThat(noLogin.statusCode()).isEqualTo(401);
            assertThat(message(noLogin)).isEqualTo(t.get("problem.loginRequired"));
            // A pack's own problem keeps its detail (the file, in English) inside the visitor's sentence.
            HttpResponse<String> junk = admin.send(admin.admin("/api/v1/packs?name=homework.zip")
                    .header("Accept-Language", lang)
                    .POST(HttpRequest.BodyPublishers.ofString("this is not a zip file at all".repeat(100))));
            assertThat(junk.statusCode()).isEqualTo(400);
            assertThat(message(junk)).startsWith(t.format("problem.pack.invalid", "")).contains("homework.zip");
        }
        // The page a person meets says the same, in their words.
        HttpResponse<String> page = visitor.get("/pack/nope", "Accept-Language", "fr", "Accept", "text/html");
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains(Html.escape(FR.format("error.noPack", "nope")));
    }

    @Test
    void domainDetailIsFramedByATranslatedSentence() {
        PackException bad = new PackException(PackException.Reason.INVALID,
                "pack.json: field 'id' must be lowercase letters, digits or '-'");
        assertThat(ErrorMapping.said(bad, FR))
                .isEqualTo("Cette collection est inutilisable\u00a0: pack.json: field 'id' must be lowercase letters,"
                        + " digits or '-'");
    }

    @Test
    void aJobReadsInEachVisitorsLanguage() throws Exception {
        Path zip = AdminFixtures.pack(tmp, "tongues", "Two tongues", "index.html", "<title>T</title>", "a.md", "# A\n");
        Http admin = server.admin();
        HttpResponse<String> started = admin.send(admin.admin("/api/v1/packs?name=tongues.zip")
                .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofFile(zip)));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = Http.json(started).path("job").path("id").asText();
        JobStatus job = server.jobs().await(id, Duration.ofSeconds(60)).orElseThrow();
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        long size = Files.size(zip);

        String french = admin.get("/admin/jobs", "Accept-Language", "fr").body();
        String spanish = admin.get("/admin/jobs", "Accept-Language", "es").body();
        assertThat(french).contains(Html.escape(FR.format("job.upload.title", "tongues.zip", FR.size(size))),
                Html.escape(FR.format("job.import.installed", "Two tongues", "tongues", 1)));
        assertThat(spanish).contains(Html.escape(ES.format("job.upload.title", "tongues.zip", ES.size(size))),
                Html.escape(ES.format("job.import.installed", "Two tongues", "tongues", 1)));
        assertThat(french).doesNotContain("uploaded", "Installed");
        // The API keeps the English words, and the key with its arguments for programs that translate.
        var api = Http.json(admin.get("/api/v1/jobs/" + id));
        assertThat(api.path("title").asText()).startsWith("Import tongues.zip (uploaded, ");
        assertThat(api.path("titleText").path("key").asText()).isEqualTo("job.upload.title");
    }

    private static String message(HttpResponse<String> r) throws IOException {
        return Http.json(r).path("message").asText();
    }
}
