package org.offlinecommons.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.offlinecommons.store.Database;
import org.slf4j.LoggerFactory;

/**
 * Starts logging, SQLite (its native library) and Jackson on a second thread while the main thread
 * parses the command line: each is a few hundred classes to initialise and run in the interpreter,
 * and a small box has a second core (docs/performance.md, "Startup"). A command waits for both
 * before it runs, so no two threads ever initialise the same library's classes at once (class
 * initialisation that crosses threads can deadlock), and no logger is asked for while logging is
 * still being set up (slf4j would hand out substitutes).
 */
final class WarmUp {

    /** Nothing to wait for: tests that run {@link Main#run} in-process, and the help and version flags. */
    static final WarmUp NONE = new WarmUp();

    private final CountDownLatch done = new CountDownLatch(1);

    private WarmUp() {
    }

    static WarmUp start() {
        WarmUp warmUp = new WarmUp();
        Thread thread = new Thread(warmUp::run, "warm-up");
        thread.setDaemon(true);
        thread.start();
        return warmUp;
    }

    private void run() {
        try {
            LoggerFactory.getILoggerFactory();
            Database.preload();
            new ObjectMapper().readValue("[\"-\"]", new TypeReference<List<String>>() { });
        } catch (Throwable ignored) {
            // Only a head start: the command meets and reports any real problem itself.
        } finally {
            done.countDown();
        }
    }

    void await() {
        if (this == NONE) {
            return;
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
