package dev.sluice.samples.support;

import dev.sluice.CloseReason;
import dev.sluice.EventLoop;
import dev.sluice.LoopStats;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints one line of a loop's counters every interval, for a server's {@code --stats-interval}:
 *
 * <pre>
 * echo-server stats: open=2 accepts=+2 closes=+0 reads=+10 bytesIn=+1280 writes=+10 bytesOut=+1280 ...
 * </pre>
 *
 * Counters marked {@code +} are what happened since the previous line (since the loop started, for
 * the first); the others ({@code open}, {@code pendingOut}, {@code bufferedIn}) are gauges, their value
 * now. On a loop other code shares, the counts include that code's traffic.
 *
 * <p>The lines come from a daemon thread of its own, never the loop's: printing can block on a slow
 * terminal or pipe, and the loop thread must not. The printer reads only {@link EventLoop#stats()},
 * which any thread may call (the loop's counters are plain slots read with opaque loads), and touches
 * no connection, so the loop's threading contract holds.
 *
 * <p>Thread: any for every method.
 */
public final class StatsPrinter implements AutoCloseable {
    private final String name;
    private final Supplier<LoopStats> source;
    private final PrintStream out;
    private final ScheduledExecutorService timer;
    /** Guarded by this: the snapshot the next line's deltas are taken from. */
    private LoopStats previous;

    private StatsPrinter(String name, Supplier<LoopStats> source, PrintStream out, Duration interval) {
        this.name = name;
        this.source = source;
        this.out = out;
        // The first line counts from the loop's start, not from the printer's: a server announces its
        // address before the printer starts, and what a client did in between must not vanish.
        this.previous = LoopStats.sum(java.util.List.of());
        if (interval.isZero()) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-stats");
            t.setDaemon(true); // never what keeps the JVM alive
            return t;
        });
        long ns = interval.toNanos();
        timer.scheduleAtFixedRate(this::printNow, ns, ns, TimeUnit.NANOSECONDS);
    }

    /**
     * Thread: any.
     * Starts printing every {@code interval}; {@link Duration#ZERO} makes a printer that prints only
     * when {@link #printNow()} is called.
     *
     * @param name     the server's name, which starts each line
     * @param loop     the loop whose counters to print
     * @param interval time between lines, zero for none
     * @param out      where the lines go
     * @return the running printer; close it when the server stops
     */
    public static StatsPrinter start(String name, EventLoop loop, Duration interval, PrintStream out) {
        return start(name, loop::stats, interval, out);
    }

    /**
     * Thread: any.
     * {@link #start(String, EventLoop, Duration, PrintStream)} for counters from elsewhere, such as a
     * loop group's sum ({@code EventLoopGroup::stats}).
     *
     * @param name     the server's name, which starts each line
     * @param source   the counters, read from the printer's thread (so it must be "Thread: any")
     * @param interval time between lines, zero for none
     * @param out      where the lines go
     * @return the running printer; close it when the server stops
     */
    public static StatsPrinter start(String name, Supplier<LoopStats> source, Duration interval, PrintStream out) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("negative stats interval: " + interval);
        }
        return new StatsPrinter(name, source, out, interval);
    }

    /**
     * Thread: any.
     * Prints one line now: counts since the previous line, gauges as they are.
     */
    public synchronized void printNow() {
        LoopStats now = source.get();
        out.println(line(name, previous, now));
        out.flush();
        previous = now;
    }

    /** The line for the change from {@code a} to {@code b}. */
    static String line(String name, LoopStats a, LoopStats b) {
        StringBuilder sb = new StringBuilder(name).append(" stats:")
                .append(" open=").append(b.openConnections())
                .append(" accepts=+").append(b.accepts() - a.accepts())
                .append(" closes=+").append(b.closesTotal() - a.closesTotal())
                .append(" resets=+").append(b.closes(CloseReason.PEER_RESET) - a.closes(CloseReason.PEER_RESET))
                .append(" reads=+").append(b.reads() - a.reads())
                .append(" bytesIn=+").append(b.bytesRead() - a.bytesRead())
                .append(" writes=+").append(b.writes() - a.writes())
                .append(" bytesOut=+").append(b.bytesWritten() - a.bytesWritten())
                .append(" pendingOut=").append(b.pendingOutputBytes())
                .append(" bufferedIn=").append(b.bufferedInputBytes())
                .append(" datagramsIn=+").append(b.datagramsReceived() - a.datagramsReceived())
                .append(" datagramsOut=+").append(b.datagramsSent() - a.datagramsSent())
                .append(" iterations=+").append(b.iterations() - a.iterations())
                .append(" tasks=+").append(b.tasks() - a.tasks())
                .append(" errors=+").append(b.handlerErrors() - a.handlerErrors());
        return sb.toString();
    }

    /**
     * Stops printing; a line being printed is finished first. Idempotent.
     *
     * <p>Thread: any.
     */
    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdown();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
