package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.store.SearchBusyException;
import org.offlinecommons.store.SearchGate;

/**
 * Issue 18, "fair under load": searches that take every turn the gate gives cannot starve pages;
 * web searches wait for a turn without a request thread; a search beyond the waiters is refused,
 * in the visitor's language, after its retry delay; the gate gives its turns back however a
 * search ends.
 */
@Timeout(60)
class SearchFairnessTest {

    @RegisterExtension
    static final TestServer server = TestServer.secure().with(ReadingFixtures::importAll);

    @Test
    void searchesHoldingEveryTurnLeavePagesAnsweringAndRefuseTheNextSearch() throws Exception {
        SearchGate gate = server.library().search().gate();
        int runners = gate.runningCapacity();
        CountDownLatch running = new CountDownLatch(runners);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(runners);
        List<Future<?>> held = new ArrayList<>();
        try {
            for (int i = 0; i < runners; i++) {
                held.add(pool.submit(() -> gate.run(() -> {
                    running.countDown();
                    await(finish);
                    return null;
                })));
            }
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

            // Pages, pack files and the API keep their own threads and readers.
            assertThat(server.http().get("/").statusCode()).isEqualTo(200);
            assertThat(server.http().get("/pack/field-notes").statusCode()).isEqualTo(200);
            assertThat(server.http().get("/api/v1/packs").statusCode()).isEqualTo(200);

            // A search nobody asked before (a reused answer needs no turn) waits out its turn and is
            // refused: for programs in JSON...
            HttpResponse<String> api = server.http().get("/api/v1/search?q=chlorophyll+api");
            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(api.headers().firstValue("Retry-After")).hasValue(String.valueOf(SearchGate.RETRY_AFTER_SECONDS));
            assertThat(Http.json(api).get("error").asText()).isEqualTo("busy");

            // ...and for people as a page in their language.
            HttpResponse<String> page = server.http().get("/search?q=chlorophyll+page", "Accept", "text/html",
                    "Accept-Language", "fr");
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.headers().firstValue("Retry-After")).isPresent();
            assertThat(page.body()).contains("Beaucoup de personnes font une recherche en ce moment");
        } finally {
            finish.countDown();
            pool.shutdown();
        }
        for (Future<?> f : held) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(gate.available()).isEqualTo(gate.capacity());
        HttpResponse<String> after = server.http().get("/api/v1/search?q=chlorophyll+after");
        assertThat(after.statusCode()).isEqualTo(200);
    }

    @Test
    void aClassSearchingAtOnceWaitsItsTurnWithoutARequestThread_andIsAnsweredNotRefused() throws Exception {
        SearchGate gate = server.library().search().gate();
        int runners = gate.runningCapacity();
        CountDownLatch running = new CountDownLatch(runners);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(runners);
        try {
            for (int i = 0; i < runners; i++) {
                pool.submit(() -> gate.run(() -> {
                    running.countDown();
                    await(finish);
                    return null;
                }));
            }
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            // Twelve pupils search at once while every turn is taken: their searches wait.
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                waiting.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.url() + "/search?q=chlorophyll+pupil" + i)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(200);
            assertThat(waiting).noneMatch(java.util.concurrent.CompletableFuture::isDone);
            assertThat(server.http().get("/pack/field-notes").statusCode()).isEqualTo(200);
            finish.countDown();
            for (var answer : waiting) {
                assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        } finally {
            finish.countDown();
            pool.shutdown();
        }
        assertThat(gate.available()).isEqualTo(gate.capacity());
    }

    @Test
    void aRefusalIsAnsweredOnlyAfterItsRetryDelay_soAFloodCannotSpin() throws Exception {
        SearchGate gate = new SearchGate(1, 0, Duration.ofSeconds(1));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        var first = gate.submit(() -> {
            running.countDown();
            await(finish);
            return "first";
        });
        try {
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            var refused = gate.submit(() -> "second");
            assertThatThrownBy(refused::join).hasCauseInstanceOf(SearchBusyException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(SearchGate.RETRY_AFTER_SECONDS).minusMillis(50));
        } finally {
            finish.countDown();
        }
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(gate.submit(() -> "third").get(30, TimeUnit.SECONDS)).isEqualTo("third");
    }

    @Test
    void manyRefusalsStartNoThreadEach() throws Exception {
        SearchGate gate = new SearchGate(1, 0, Duration.ofSeconds(1));
        CountDownLatch finish = new CountDownLatch(1);
        var first = gate.submit(() -> {
            await(finish);
            return "first";
        });
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        List<java.util.concurrent.CompletableFuture<String>> refused = new ArrayList<>();
        long startedBefore;
        try {
            startedBefore = threads.getTotalStartedThreadCount();
            for (int i = 0; i < 200; i++) {
                refused.add(gate.submit(() -> "refused"));
            }
            for (var r : refused) {
                assertThatThrownBy(r::join).hasCauseInstanceOf(SearchBusyException.class);
            }
        } finally {
            finish.countDown();
        }
        // A flood is refused hundreds of times a second: one thread a refusal was one thread start each.
        assertThat(threads.getTotalStartedThreadCount() - startedBefore).isLessThan(10);
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
    }

    @Test
    void aSearchThatFailsGivesItsTurnBack() {
        SearchGate gate = server.library().search().gate();
        for (int i = 0; i < gate.capacity() + 3; i++) {
            assertThatThrownBy(() -> gate.run(() -> {
                throw new IllegalStateException("the query failed");
            })).isInstanceOf(IllegalStateException.class);
        }
        assertThat(gate.available()).isEqualTo(gate.capacity());
        assertThat(gate.run(() -> "ran")).isEqualTo("ran");
    }

    @Test
    void beyondTheWaitersASearchIsRefusedAtOnceNotQueued() throws Exception {
        // An hour's wait: were the bound on waiters missing, the refused search would hang and @Timeout fail.
        SearchGate gate = new SearchGate(1, 0, Duration.ofHours(1));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> first = pool.submit(() -> gate.run(() -> {
                running.countDown();
                await(finish);
                return "first";
            }));
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(gate.available()).isZero();
            assertThatThrownBy(() -> gate.run(() -> "second")).isInstanceOf(SearchBusyException.class);
            finish.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
        } finally {
            finish.countDown();
            pool.shutdown();
        }
        assertThat(gate.available()).isEqualTo(1);
        assertThat(gate.run(() -> "third")).isEqualTo("third");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
