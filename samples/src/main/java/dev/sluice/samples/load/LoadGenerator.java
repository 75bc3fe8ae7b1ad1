package dev.sluice.samples.load;

import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.LoopConfig;
import dev.sluice.LoopErrorHandler;

import java.io.PrintStream;

/**
 * Drives an echo server with load, on the engine itself: one event loop, {@code connections}
 * connections, each keeping {@code depth} messages in flight (closed loop) or sending on a fixed
 * schedule (open loop, see {@link LoadConfig#ratePerSecond()}). Every echoed byte is checked; every
 * round trip is timed into an HdrHistogram on the loop thread. See {@link LoadRun} for the phases.
 *
 * <p>The generator and the server under test share the machine: on a small box the generator's one
 * thread is part of what is measured.
 *
 * <p>Thread: any; {@code run} blocks the caller until the run ends.
 */
public final class LoadGenerator {
    /** Slack on top of the run's own bounds (connect, warmup, duration, drain) before giving up. */
    private static final long WATCHDOG_SLACK_NS = 20_000_000_000L;

    private LoadGenerator() {
    }

    /**
     * Thread: any.
     * Runs the load on a loop of its own, named {@code load-generator}, closed when the run ends.
     *
     * @param config the run
     * @param log    where the loop reports errors it survived (one line each)
     * @return what was measured
     * @throws InterruptedException when interrupted while waiting for the run
     */
    public static LoadResult run(LoadConfig config, PrintStream log) throws InterruptedException {
        return run(config, log, "load-generator");
    }

    /**
     * Thread: any.
     * Like {@link #run(LoadConfig, PrintStream)}, on a loop with the given thread name.
     *
     * @param config     the run
     * @param log        where the loop reports errors it survived (one line each)
     * @param threadName the loop thread's name
     * @return what was measured
     * @throws InterruptedException when interrupted while waiting for the run
     */
    public static LoadResult run(LoadConfig config, PrintStream log, String threadName) throws InterruptedException {
        LoopErrorHandler onError = (c, e) -> log.println("load: " + (c == null ? "loop" : c) + ": " + e);
        EventLoop loop = EventLoop.start(LoopConfig.defaults().withName(threadName).withErrorHandler(onError));
        try {
            LoadRun run = start(config, loop);
            awaitOrFail(run, config);
            loop.close();
            return run.result(loop.stats());
        } finally {
            loop.close();
        }
    }

    /**
     * Thread: any other than the loop's.
     * Runs the load on a loop the caller owns (and keeps); every connection is closed when this returns.
     * The loop must use a real-time clock.
     *
     * @param config the run
     * @param loop   the loop to run on
     * @return what was measured; {@link LoadResult#loopStats()} includes the loop's other traffic
     * @throws InterruptedException when interrupted while waiting for the run
     */
    public static LoadResult run(LoadConfig config, EventLoop loop) throws InterruptedException {
        LoadRun run = start(config, loop);
        try {
            awaitOrFail(run, config);
        } catch (IllegalStateException | InterruptedException e) {
            loop.execute(() -> {
                for (LoadConnection c : run.connections()) {
                    c.close();
                }
            });
            throw e;
        }
        return run.result(loop.stats());
    }

    private static LoadRun start(LoadConfig config, EventLoop loop) {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("LoadGenerator.run blocks: call it off the loop thread");
        }
        // The generator always reads what the server sends back: pausing reads while our own output is
        // queued would deadlock against an echo server that pauses reads for the same reason.
        long inFlightBytes = (long) config.depth() * config.messageBytes();
        long connectNs = config.connectTimeout().toNanos();
        ConnectionConfig cc = ConnectionConfig.defaults()
                .withPauseReadWhenUnwritable(false)
                .withConnectTimeoutNs(connectNs)
                .withMaxPendingOutputBytes(Math.max(ConnectionConfig.defaults().maxPendingOutputBytes(), 2 * inFlightBytes))
                .withTls(config.tls() == null ? null : config.tls().withHandshakeTimeoutNs(connectNs));
        LoadRun run = new LoadRun(config, loop);
        for (LoadConnection c : run.connections()) {
            loop.connect(config.target(), cc, c);
        }
        return run;
    }

    private static void awaitOrFail(LoadRun run, LoadConfig config) throws InterruptedException {
        long openingNs = config.connectTimeout().toNanos() * (config.tls() == null ? 1 : 2); // the handshake's too
        long boundNs = openingNs + config.warmup().toNanos() + config.duration().toNanos()
                + LoadRun.DRAIN_TIMEOUT_NS + WATCHDOG_SLACK_NS;
        if (!run.await(boundNs)) {
            throw new IllegalStateException("load run against " + config.target() + " did not finish within "
                    + boundNs / 1_000_000_000L + " s");
        }
    }
}
