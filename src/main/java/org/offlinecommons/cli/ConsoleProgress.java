package org.offlinecommons.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.store.ProgressListener;

/**
 * A progress bar on standard error: bytes done of total, rate and time left. On a terminal it
 * redraws one line; in a log (no terminal) it writes a line every few seconds instead.
 */
final class ConsoleProgress implements ProgressListener {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final long LOG_NANOS = 5_000_000_000L;
    private static final long FIRST_DRAW_NANOS = 1_000_000_000L;
    private static final double MIN_RATE_SECONDS = 1.0;

    private final PrintStream out;
    private final String label;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private boolean drawn;
    // The rate counts from the first byte, not from the start: reading a zip's directory or
    // checking space comes first, and a rate over that wait once promised "565 h left".
    private long flowStartNanos = -1;
    private long flowStartDone;

    ConsoleProgress(PrintStream out, String label) {
        this.out = out;
        this.label = label;
        this.terminal = System.console() != null;
    }

    @Override
    public synchronized void update(long done, long total) {
        long now = System.nanoTime();
        if (flowStartNanos < 0 && done > 0) {
            flowStartNanos = now;
            flowStartDone = done;
        }
        if (now - lastDraw < (terminal ? REDRAW_NANOS : LOG_NANOS) && done < total) {
            return;
        }
        if (!drawn && now - startNanos < FIRST_DRAW_NANOS) {
            return; // work that ends within a second needs no bar, and early rates are noise
        }
        lastDraw = now;
        drawn = true;
        String line = flowStartNanos < 0 ? line(done, total, 0, 0)
                : line(done, total, done - flowStartDone, (now - flowStartNanos) / 1e9);
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the bar's line, if one was drawn. */
    synchronized void finish() {
        if (drawn && terminal) {
            out.println();
        }
    }

    /**
     * One line of the bar; the rate and the time left appear once {@code measured} bytes have
     * flowed for at least {@code seconds} = one second, when they mean something.
     */
    String line(long done, long total, long measured, double seconds) {
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int width = 24;
        int filled = (int) Math.round(fraction * width);
        String head = String.format(Locale.ROOT, "%s [%s%s] %3d%%  %s of %s", label,
                "#".repeat(filled), " ".repeat(width - filled), Math.round(fraction * 100),
                Sizes.human(done), Sizes.human(total));
        if (seconds < MIN_RATE_SECONDS || measured <= 0) {
            return head;
        }
        double rate = measured / seconds;
        String eta = total > done ? " about " + duration((total - done) / rate) + " left" : "";
        return head + "  " + Sizes.human((long) rate) + "/s" + eta;
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
