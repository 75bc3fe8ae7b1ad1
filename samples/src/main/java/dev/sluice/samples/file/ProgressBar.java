package dev.sluice.samples.file;

import dev.sluice.EventLoop;
import dev.sluice.Scheduled;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One line on standard error, redrawn in place ({@code \r}) four times a second: a bar for a single
 * transfer, a percentage each for several, and the combined rate. Whoever prints a line of their own
 * calls {@link #clear()} first so it does not mix with the bar.
 *
 * <p>Thread: the loop thread only; {@link #start()} schedules its redraws on that loop.
 */
final class ProgressBar {
    private static final long INTERVAL_NS = 250_000_000L;
    private static final int WIDTH = 30;
    private static final int MAX_LINE = 100;

    private final PrintStream err;
    private final EventLoop loop;
    private final Supplier<? extends Collection<? extends TransferProgress>> source;
    private Scheduled next;
    private int drawn;
    private long lastDone;
    private long lastNs;
    private double rate;

    ProgressBar(PrintStream err, EventLoop loop, Supplier<? extends Collection<? extends TransferProgress>> source) {
        this.err = err;
        this.loop = loop;
        this.source = source;
    }

    void start() {
        lastNs = loop.nowNs();
        next = loop.schedule(this::tick, INTERVAL_NS);
    }

    void stop() {
        if (next != null) {
            next.cancel();
            next = null;
        }
        clear();
    }

    /** Erases the bar; the next redraw brings it back. */
    void clear() {
        if (drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
            drawn = 0;
        }
    }

    private void tick() {
        next = loop.schedule(this::tick, INTERVAL_NS);
        Collection<? extends TransferProgress> active = source.get();
        long now = loop.nowNs();
        long done = 0;
        for (TransferProgress t : active) {
            done += t.doneBytes();
        }
        // Smoothed over a few redraws; transfers that end drop out of the sum, so never below zero.
        double instant = Math.max(0, done - lastDone) / ((now - lastNs) / 1e9);
        rate = rate == 0 ? instant : 0.7 * rate + 0.3 * instant;
        lastDone = done;
        lastNs = now;
        if (active.isEmpty()) {
            clear();
            return;
        }
        String line = active.size() == 1 ? single(active.iterator().next()) : several(active);
        line = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line;
        int pad = Math.max(0, drawn - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        drawn = line.length();
    }

    private String single(TransferProgress t) {
        long total = t.totalBytes();
        if (total < 0) {
            return "waiting for a header...";
        }
        double fraction = total == 0 ? 1 : (double) t.doneBytes() / total;
        int filled = (int) (fraction * WIDTH);
        return String.format(Locale.ROOT, "%s [%s%s] %3d%% %s/%s %s/s", t.name(), "#".repeat(filled),
                ".".repeat(WIDTH - filled), (int) (fraction * 100), size(t.doneBytes()), size(total), size((long) rate));
    }

    private String several(Collection<? extends TransferProgress> active) {
        StringBuilder sb = new StringBuilder().append(active.size()).append(" transfers, ")
                .append(size((long) rate)).append("/s:");
        for (TransferProgress t : active) {
            long total = t.totalBytes();
            sb.append(' ').append(t.name() == null ? "?" : t.name()).append(' ')
                    .append(total <= 0 ? 0 : 100 * t.doneBytes() / total).append('%');
        }
        return sb.toString();
    }

    /** Bytes for people: {@code 512 B}, {@code 1.5 KiB}, {@code 200.0 MiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
