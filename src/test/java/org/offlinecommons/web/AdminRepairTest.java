package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.admin.AdminPassword;
import org.offlinecommons.app.DamagedLibraries;
import org.offlinecommons.app.LibraryHealing;
import org.offlinecommons.app.Services;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.ProgressListener;

/**
 * Two real servers: A's library.db has a damaged chunk, A knows B as a peer; the admin sees the
 * damaged file on the dashboard, presses "Repair", and A is whole again, served and verified.
 */
class AdminRepairTest {

    @TempDir
    Path tmp;

    @Test
    void theDashboardShowsTheDamage_andItsRepairButtonHealsItFromAPeer() throws Exception {
        DamagedLibraries.Damage damage = DamagedLibraries.make(tmp, tmp.resolve("a"), tmp.resolve("b"));
        try (Library a = Library.open(tmp.resolve("a")); Library b = Library.open(tmp.resolve("b"));
             JobRunner jobsA = new JobRunner(); JobRunner jobsB = new JobRunner();
             WebServer serverB = WebServer.start(b, jobsB, WebServer.Options.withoutLogin("127.0.0.1", 0));
             Services services = Services.create(a, jobsA, Drives.defaults(a), 1 << 20)) {
            new AdminPassword(a).set(AdminFixtures.PASSWORD.toCharArray());
            services.peers().directory().addManual("http://127.0.0.1:" + serverB.port());
            try (WebServer serverA = WebServer.start(services, new WebServer.Options("127.0.0.1", 0))) {
                Http http = new Http(serverA);
                // A reader meets the damage midway (the headers went out): the connection breaks, and the
                // damage is recorded.
                assertThatThrownBy(() -> http.sendForBytes(http.request("/packs/rivers/video.mp4")))
                        .isInstanceOf(java.io.IOException.class);

                http.loggedIn();
                String page = http.send(http.admin("/admin")).body();
                assertThat(page).contains("These files are damaged", "<bdi>rivers</bdi>", ">video.mp4<", "Repair from peers",
                        "action=\"/admin/repair\"");
                assertThat(http.send(http.request("/metrics")).body())
                        .contains("offline_commons_library_damaged_chunks 1.0", "offline_commons_scrub_checked_bytes",
                                "offline_commons_scrub_last_pass_finished_seconds");

                // Without the page's token the button does nothing.
                assertThat(http.form("/admin/repair").statusCode()).isEqualTo(403);
                assertThat(jobsA.recent()).noneMatch(j -> j.kind().equals(LibraryHealing.KIND));

                HttpResponse<String> pressed = http.form("/admin/repair", "csrf", token(page));
                assertThat(pressed.statusCode()).isEqualTo(303);
                assertThat(pressed.headers().firstValue("Location")).hasValue("/admin/jobs");
                JobStatus repair = jobsA.recent().stream().filter(j -> j.kind().equals(LibraryHealing.KIND))
                        .findFirst().orElseThrow();
                repair = jobsA.await(repair.id(), Duration.ofSeconds(60)).orElseThrow();
                assertThat(repair.state()).as(repair.error()).isEqualTo(JobState.SUCCEEDED);
                assertThat(http.send(http.admin("/admin")).body()).doesNotContain("action=\"/admin/repair\"")
                        .contains("repair library");

                assertThat(a.chunks().damaged()).isEmpty();
                HttpResponse<byte[]> video = http.sendForBytes(http.request("/packs/rivers/video.mp4"));
                assertThat(video.statusCode()).isEqualTo(200);
                assertThat(video.body()).hasSize(2_500_000);
                assertThat(new LibraryVerifier(a).verify(ProgressListener.NONE).ok()).isTrue();
                assertThat(damage.where()).isEqualTo("rivers/video.mp4");
            }
        }
    }

    private static String token(String page) {
        Matcher m = Pattern.compile("action=\"/admin/repair\" method=\"post\">\\s*<input type=\"hidden\" name=\"csrf\""
                + " value=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return m.group(1);
    }
}
