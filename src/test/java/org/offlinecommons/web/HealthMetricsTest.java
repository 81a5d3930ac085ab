package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.job.Jobs;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.ProgressListener;

/** /healthz and /metrics on a real server: health says what it checked, metrics parse and move. */
class HealthMetricsTest {

    static final int CLIP_SIZE = 1_500_000;

    @RegisterExtension
    static final TestServer server = TestServer.secure().with((library, tmp) -> {
        Path site = PackFixtures.smallSite(tmp.resolve("site"));
        PackFixtures.writeRandom(site, "media/clip.mp4", CLIP_SIZE, 3);
        new PackImporter(library).importPack(PackFixtures.build(site, "garden", "Garden", tmp.resolve("g.zip")),
                ProgressListener.NONE);
    });

    @Test
    void healthzReportsServingWritableDatabaseAndFreeDisk() throws Exception {
        HttpResponse<byte[]> r = server.http().getBytes("/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(body.path("status").asText()).isEqualTo("ok");
        assertThat(body.path("serving").asBoolean()).isTrue();
        assertThat(body.path("database").path("writable").asBoolean()).isTrue();
        assertThat(body.path("disk").path("ok").asBoolean()).isTrue();
        assertThat(body.path("disk").path("freeBytes").asLong()).isGreaterThanOrEqualTo(org.offlinecommons.pack.DiskReserve.DEFAULT.bytes());
        // The write really happened: the check is not just a read that claims "writable".
        assertThat(server.library().setting("healthz.last_write")).isPresent();
    }

    @Test
    void metricsParseAndCountersMoveAfterRequests() throws Exception {
        Map<String, Double> before = scrape();
        assertThat(before).containsEntry("offline_commons_library_packs", 1.0);
        double packsBefore = before.getOrDefault(
                "http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/packs\",status=\"200\"}", 0.0);
        double bytesBefore = before.get("offline_commons_http_served_bytes_total");

        assertThat(server.http().getBytes("/api/v1/packs").statusCode()).isEqualTo(200);
        assertThat(server.http().getBytes("/api/v1/packs").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> clip = server.http().getBytes("/packs/garden/media/clip.mp4");
        assertThat(clip.body()).hasSize(CLIP_SIZE);
        assertThat(server.http().getBytes("/no/such/thing").statusCode()).isEqualTo(404);

        // The request is counted just after its last byte is written, which can be a moment after the
        // client has it all: wait for the count rather than race it.
        Map<String, Double> after = scrapeUntil(m -> m.getOrDefault(
                "http_server_requests_seconds_count{method=\"GET\",route=\"/packs/{id}/<path>\",status=\"200\"}", 0.0)
                >= 1);
        assertThat(after.get(
                "http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/packs\",status=\"200\"}"))
                .isEqualTo(packsBefore + 2);
        assertThat(after).containsKey(
                "http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}");
        assertThat(after.get("offline_commons_http_served_bytes_total")).isGreaterThanOrEqualTo(bytesBefore + CLIP_SIZE);
        // The latency histogram: buckets with an le label, the last one +Inf and equal to the count.
        String series = "method=\"GET\",route=\"/api/v1/packs\",status=\"200\"";
        assertThat(after.get("http_server_requests_seconds_bucket{le=\"+Inf\"," + series + "}"))
                .isEqualTo(packsBefore + 2);
        assertThat(after.get("http_server_requests_seconds_sum{" + series + "}")).isPositive();
    }

    @Test
    void jobOutcomesAreCountedByKind() throws Exception {
        String ok = "offline_commons_jobs_total{kind=\"import\",outcome=\"succeeded\"}";
        String failed = "offline_commons_jobs_total{kind=\"import\",outcome=\"failed\"}";
        Map<String, Double> before = scrape();
        assertThat(before).containsKeys(ok, failed, "offline_commons_jobs_total{kind=\"sync\",outcome=\"failed\"}");
        server.jobs().submit("import", "works", job -> "done");
        server.jobs().submit("import", "breaks", job -> {
            throw new IllegalStateException("broken on purpose");
        });
        Map<String, Double> after = scrapeUntil(m -> m.get(ok) >= before.get(ok) + 1
                && m.get(failed) >= before.get(failed) + 1);
        assertThat(after.get(ok)).isEqualTo(before.get(ok) + 1);
        assertThat(after.get(failed)).isEqualTo(before.get(failed) + 1);
    }

    @Test
    void theParserRejectsMalformedExposition() {
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x counter\nx{a=\"1\" 3\n"))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> PrometheusText.parse("x 1 2 3\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x counter\n# TYPE x gauge\nx 1\n"))
                .hasMessageContaining("second TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE h histogram\nh_bucket 1\n"))
                .hasMessageContaining("le");
        assertThat(PrometheusText.parse("# HELP a b\n# TYPE a gauge\na{x=\"q\\\"\\\\\\n\",} -Inf 123\n"))
                .containsEntry("a{x=\"q\\\"\\\\\\n\"}", Double.NEGATIVE_INFINITY);
    }

    static Map<String, Double> scrape() throws Exception {
        HttpResponse<byte[]> r = server.http().getBytes("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        return PrometheusText.parse(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The first scrape that shows {@code done}: counters move once an answer is sent or a job ended. */
    static Map<String, Double> scrapeUntil(Predicate<Map<String, Double>> done) throws Exception {
        List<Map<String, Double>> last = new ArrayList<>(List.of(Map.of()));
        Jobs.until("the metrics show it", () -> {
            last.set(0, scrape());
            return done.test(last.get(0));
        });
        return last.get(0);
    }

    /**
     * A strict reader of the Prometheus text exposition format 0.0.4: every line must be a comment,
     * a HELP/TYPE line or a sample; samples map "name{labels sorted by name}" to their value.
     */
    static final class PrometheusText {

        private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
        private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
        private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
        private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)\\})? (\\S+)( -?[0-9]+)?");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
        private static final Pattern VALUE = Pattern.compile("[+-]?Inf|NaN|[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

        static Map<String, Double> parse(String text) {
            Map<String, String> types = new HashMap<>();
            Map<String, Double> samples = new LinkedHashMap<>();
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                String where = "line " + (i + 1) + ": " + line;
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("# HELP ")) {
                    require(HELP.matcher(line).matches(), "malformed HELP, " + where);
                    continue;
                }
                if (line.startsWith("# TYPE ")) {
                    Matcher t = TYPE.matcher(line);
                    require(t.matches(), "malformed TYPE, " + where);
                    require(types.put(t.group(1), t.group(2)) == null, "second TYPE for " + t.group(1) + ", " + where);
                    continue;
                }
                if (line.startsWith("#")) {
                    continue;
                }
                Matcher s = SAMPLE.matcher(line);
                require(s.matches(), "malformed sample, " + where);
                String name = s.group(1);
                TreeMap<String, String> labels = labels(s.group(3), where);
                require(VALUE.matcher(s.group(4)).matches(), "bad value, " + where);
                String family = family(name, types);
                String type = types.getOrDefault(family, "untyped");
                if (type.equals("histogram") && name.equals(family + "_bucket")) {
                    require(labels.containsKey("le"), "histogram bucket without le, " + where);
                }
                if (type.equals("counter")) {
                    require(!s.group(4).startsWith("-"), "negative counter, " + where);
                }
                List<String> parts = new ArrayList<>();
                labels.forEach((k, v) -> parts.add(k + "=\"" + v + "\""));
                String key = parts.isEmpty() ? name : name + "{" + String.join(",", parts) + "}";
                require(samples.put(key, value(s.group(4))) == null, "duplicate sample, " + where);
            }
            return samples;
        }

        private static TreeMap<String, String> labels(String body, String where) {
            TreeMap<String, String> labels = new TreeMap<>();
            if (body == null || body.isEmpty()) {
                return labels;
            }
            Matcher m = LABEL.matcher(body);
            int at = 0;
            while (at < body.length()) {
                require(m.find(at) && m.start() == at, "malformed labels, " + where);
                require(labels.put(m.group(1), m.group(2)) == null, "repeated label " + m.group(1) + ", " + where);
                at = m.end();
                if (at < body.length()) {
                    require(body.charAt(at) == ',', "labels must be separated by commas, " + where);
                    at++;
                }
            }
            return labels;
        }

        private static String family(String name, Map<String, String> types) {
            for (String suffix : new String[] {"_bucket", "_sum", "_count", "_total", "_created"}) {
                if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                    return name.substring(0, name.length() - suffix.length());
                }
            }
            return name;
        }

        private static double value(String v) {
            return switch (v) {
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(v);
            };
        }

        private static void require(boolean ok, String problem) {
            if (!ok) {
                throw new IllegalArgumentException(problem);
            }
        }
    }
}
