package dev.sluice.samples.load;

import dev.sluice.Connection;
import dev.sluice.EventLoop;
import dev.sluice.LoopStats;
import dev.sluice.Scheduled;
import dev.sluice.samples.Durations;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The state of one load run on its loop. Phases, in order:
 *
 * <pre>
 *   CONNECTING  every connection connects (and with TLS handshakes); the clock starts when the last one
 *               has opened or failed, so neither counts in the window: their time is reported apart
 *   WARMUP      traffic as measured, but latencies and counts are thrown away at the end
 *   MEASURING   latencies recorded, completed messages counted
 *   DRAINING    no new sends; messages in flight are still checked and timed (bounded wait)
 *   CLOSING     every connection closes gracefully; the run ends when the last onClose arrives
 * </pre>
 *
 * <p>Latencies after the warmup go into the result's histogram; with progress on, every latency also
 * goes into an interval histogram that the once-a-second sample reads its p99 from and resets. Both
 * live on the loop thread, so recording is a plain array increment. The sample is handed to the
 * waiting caller thread, which formats and prints it: formatting is slow the first time (class
 * loading), and the loop thread is part of what is measured.
 *
 * <p>Thread: event loop only, except {@link #await} and the fields read after it.
 */
final class LoadRun {
    enum Phase { CONNECTING, WARMUP, MEASURING, DRAINING, CLOSING, DONE }

    /** Latencies above this are recorded as this: an hour is beyond any run worth measuring. */
    static final long MAX_LATENCY_NS = 3_600_000_000_000L;
    static final long DRAIN_TIMEOUT_NS = 5_000_000_000L;
    private static final long TICK_NS = 1_000_000L;
    /**
     * The warm-up must run what the window runs, or the JIT compiles the loop for the warm-up and
     * throws that code away when the window opens, running the window's first 1-1.8 s in slower code
     * while it recompiles (issue 14: {@code Loop::iterate}, {@code ReadSide::readWithinBudget} "made not
     * entrant" at the window's start in {@code -XX:+PrintCompilation}; {@code -XX:+LogCompilation} said
     * why: {@code unstable_if} traps). Three things differed: no timer had fired before the one ending
     * the warm-up; {@link #sending()} read a second phase; and the window's {@code total.reset()} made
     * HdrHistogram's {@code value > maxValue} true for the first time since its start. So in closed loop a
     * heartbeat timer fires every 50 ms while sending (open loop has its 1 ms tick), and every 50 ms of
     * the warm-up the histogram is reset.
     */
    private static final long HEARTBEAT_NS = 50_000_000L;
    private static final long PROGRESS_NS = 1_000_000_000L;
    private static final int MAX_SAMPLES = 10;

    private final LoadConfig config;
    private final EventLoop loop;
    private final LoadConnection[] connections;
    private final Histogram total = new Histogram(MAX_LATENCY_NS, 3);
    /** 1 while the window is open, 0 before: counted without a branch that flips when the window opens. */
    private int counting;
    private final Histogram interval = new Histogram(MAX_LATENCY_NS, 3);
    private final boolean sampling;
    private final BlockingQueue<ProgressSample> samples = new LinkedBlockingQueue<>();
    private final Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
    private final List<String> errorSamples = new ArrayList<>();
    /** The timers that may be pending, cancelled when the run ends so a shared loop is left clean. */
    private Scheduled warmupTimer;
    private Scheduled endTimer;
    private Scheduled drainTimer;
    private Scheduled progressTimer;
    private Scheduled tickTimer;
    private final CountDownLatch done = new CountDownLatch(1);

    private Phase phase = Phase.CONNECTING;
    /** Warm-up or window: a field, not two phase comparisons (see {@link #HEARTBEAT_NS}). */
    private boolean sending;
    /** Made once: the tick re-arms itself 20 (closed loop) or 1,000 (open loop) times a second. */
    private final Runnable tickTask = this::tick;
    private long ticks;
    /** Ticks between histogram resets: 50 ms of them in the warm-up, never once the window opens. */
    private long resetEveryTicks = Long.MAX_VALUE;
    /** When the connects were issued, for how long opening took. */
    private final long createdNs = System.nanoTime();
    private long openingNs;
    /** The first TLS connection's protocol and cipher suite, {@code null} on plain TCP. */
    private String tls;
    private int settled;
    private int opened;
    private int closed;
    private long startNs;
    private long windowStartNs;
    private long windowEndNs;
    /** The loop thread's CPU time at the window's start and end, -1 when the JVM cannot tell. */
    private long windowCpuStartNs = -1;
    private long windowCpuEndNs = -1;
    private long measured;
    private long completed;
    private int progressTicks;
    private long lastProgressNs;
    private long lastProgressCompleted;

    LoadRun(LoadConfig config, EventLoop loop) {
        this.config = config;
        this.loop = loop;
        this.sampling = config.progress() != null;
        Payload payload = new Payload(config.messageBytes(), 42);
        this.connections = new LoadConnection[config.connections()];
        for (int i = 0; i < connections.length; i++) {
            connections[i] = new LoadConnection(this, i, payload, config.depth());
        }
    }

    LoadConnection[] connections() {
        return connections;
    }

    // ---------------------------------------------------------------- from connections

    void opened(Connection c) {
        opened++;
        if (tls == null && c.tlsSession() != null) {
            tls = c.tlsSession().getProtocol() + " " + c.tlsSession().getCipherSuite();
        }
        settledOne();
    }

    String phaseName() {
        return phase.name().toLowerCase(Locale.ROOT);
    }

    boolean sending() {
        return sending;
    }

    boolean closingExpected() {
        return phase == Phase.CLOSING || phase == Phase.DONE;
    }

    void completed(long latencyNs) {
        long value = Math.max(0, Math.min(latencyNs, MAX_LATENCY_NS));
        completed++;
        if (sampling) {
            interval.recordValue(value);
        }
        // The same code in the warm-up and the window (only the step changes), so that
        // the JIT compiles during the warm-up what the window runs: a branch on the phase here was never
        // taken in the warm-up, and the window's start recompiled the handler.
        // (The warm-up's latencies go into the total too, which the window's start resets.)
        if (phase.compareTo(Phase.DRAINING) <= 0) {
            total.recordValue(value);
            measured += counting;
            if (phase == Phase.DRAINING) { // sent inside the window: its latency counts, its completion does not
                drainedOneMaybe();
            }
        }
    }

    void error(ErrorKind kind, String detail) {
        errors.merge(kind, 1L, Long::sum);
        if (errorSamples.size() < MAX_SAMPLES) {
            errorSamples.add(detail);
        }
    }

    void closed(LoadConnection c, boolean wasOpened) {
        closed++;
        if (!wasOpened) {
            settledOne(); // a connect that failed: it counts as settled, like one that opened
        }
        if (closed == connections.length) {
            finish();
        } else if (phase == Phase.DRAINING) {
            drainedOneMaybe();
        }
    }

    private void settledOne() {
        settled++;
        if (settled == connections.length && phase == Phase.CONNECTING) {
            begin();
        }
    }

    // ---------------------------------------------------------------- phases

    private void begin() {
        startNs = System.nanoTime();
        openingNs = startNs - createdNs;
        lastProgressNs = startNs;
        long warmupNs = config.warmup().toNanos();
        long durationNs = config.duration().toNanos();
        if (warmupNs > 0) {
            phase = Phase.WARMUP;
            sending = true;
            resetEveryTicks = HEARTBEAT_NS / (config.openLoop() ? TICK_NS : HEARTBEAT_NS);
            warmupTimer = scheduleAt(this::endWarmup, startNs + warmupNs);
        } else {
            phase = Phase.MEASURING;
            sending = true;
            counting = 1;
            windowStartNs = startNs;
            windowCpuStartNs = threadCpuNs();
        }
        endTimer = scheduleAt(this::endMeasuring, startNs + warmupNs + durationNs);
        if (sampling) {
            progressTimer = scheduleAt(this::progress, startNs + PROGRESS_NS);
        }
        long intervalNs = config.openLoop()
                ? Math.max(1, Math.round(1e9 * config.connections() / config.ratePerSecond())) : 0;
        for (int i = 0; i < connections.length; i++) {
            // Open loop: connections take turns evenly within one interval, rather than all at once.
            long phaseNs = intervalNs * i / connections.length;
            connections[i].begin(startNs, startNs + phaseNs, intervalNs);
        }
        tickTimer = loop.schedule(tickTask, config.openLoop() ? TICK_NS : HEARTBEAT_NS);
    }

    /**
     * Schedules at an instant of {@link System#nanoTime()}. {@link EventLoop#schedule} counts from the
     * loop's iteration time, which can be well before now (200 connections opening in one iteration
     * take a while), so the delay is taken from that, not from now. Needs a loop on the system clock.
     */
    private Scheduled scheduleAt(Runnable task, long atNs) {
        return loop.schedule(task, Math.max(0, atNs - loop.nowNs()));
    }

    /**
     * Open loop: sends what the schedule says is due (the select timeout's 1 ms granularity bounds the
     * lag). Closed loop: the heartbeat ({@link #HEARTBEAT_NS}), nothing to send.
     */
    private void tick() {
        if (!sending()) {
            return;
        }
        long periodNs = config.openLoop() ? TICK_NS : HEARTBEAT_NS;
        if (config.openLoop()) {
            long nowNs = System.nanoTime();
            for (LoadConnection c : connections) {
                c.refill(nowNs);
            }
        }
        if (++ticks % resetEveryTicks == 0) {
            total.reset(); // every 50 ms of the warm-up, as the window's start will: see HEARTBEAT_NS
        }
        tickTimer = loop.schedule(tickTask, periodNs);
    }

    private void endWarmup() {
        if (phase != Phase.WARMUP) {
            return;
        }
        phase = Phase.MEASURING;
        windowStartNs = System.nanoTime();
        windowCpuStartNs = threadCpuNs();
        total.reset();
        resetEveryTicks = Long.MAX_VALUE;
        counting = 1;
        measured = 0;
    }

    private void endMeasuring() {
        if (phase != Phase.MEASURING) {
            return;
        }
        windowEndNs = System.nanoTime();
        windowCpuEndNs = threadCpuNs();
        phase = Phase.DRAINING;
        sending = false;
        counting = 0;
        drainTimer = loop.schedule(this::drainTimedOut, DRAIN_TIMEOUT_NS);
        drainedOneMaybe();
    }

    private void drainedOneMaybe() {
        for (LoadConnection c : connections) {
            if (c.inFlight()) {
                return;
            }
        }
        startClosing();
    }

    private void drainTimedOut() {
        if (phase != Phase.DRAINING) {
            return;
        }
        for (LoadConnection c : connections) {
            c.reportUnanswered();
        }
        startClosing();
    }

    private void startClosing() {
        if (phase != Phase.DRAINING) {
            return;
        }
        phase = Phase.CLOSING;
        for (LoadConnection c : connections) {
            c.close();
        }
    }

    private void finish() {
        if (phase == Phase.DONE) {
            return;
        }
        if (phase == Phase.MEASURING || phase == Phase.WARMUP) {
            windowEndNs = System.nanoTime(); // every connection failed early
        }
        if (phase == Phase.CONNECTING) {
            windowStartNs = windowEndNs = System.nanoTime();
            openingNs = windowEndNs - createdNs;
        }
        if (phase == Phase.WARMUP || phase == Phase.CONNECTING) {
            total.reset(); // nothing was measured
        }
        phase = Phase.DONE;
        sending = false;
        for (Scheduled t : new Scheduled[] {warmupTimer, endTimer, drainTimer, progressTimer, tickTimer}) {
            if (t != null) {
                t.cancel();
            }
        }
        done.countDown();
    }

    private void progress() {
        if (phase.compareTo(Phase.DRAINING) >= 0) {
            return;
        }
        long nowNs = System.nanoTime();
        double perSecond = (completed - lastProgressCompleted) * 1e9 / Math.max(1, nowNs - lastProgressNs);
        long p99 = interval.getTotalCount() == 0 ? -1 : interval.getValueAtPercentile(99);
        samples.add(new ProgressSample(nowNs - startNs, perSecond, p99, phase == Phase.WARMUP));
        interval.reset();
        lastProgressNs = nowNs;
        lastProgressCompleted = completed;
        progressTicks++;
        progressTimer = scheduleAt(this::progress, startNs + (progressTicks + 1) * PROGRESS_NS);
    }

    /**
     * One progress line's numbers, taken on the loop and printed by the caller.
     *
     * @param elapsedNs  time since the clock started
     * @param perSecond  messages completed per second since the last sample
     * @param p99Ns      the p99 latency since the last sample, or -1 if none completed
     * @param warmup     whether this was still the warmup
     */
    record ProgressSample(long elapsedNs, double perSecond, long p99Ns, boolean warmup) {
        String format() {
            return String.format(Locale.ROOT, "%6.1fs %,12.0f msgs/s   p99 %-8s%s", elapsedNs / 1e9, perSecond,
                    p99Ns < 0 ? "-" : Durations.latency(p99Ns), warmup ? "  (warmup)" : "");
        }
    }

    /** This (loop) thread's CPU time, read at the window's edges only; -1 when not supported. */
    private static long threadCpuNs() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
    }

    // ---------------------------------------------------------------- results, after await

    /**
     * Waits for the run to end, printing progress samples as they come. Thread: the caller, not the loop.
     *
     * @return whether the run ended within {@code timeoutNs}
     */
    boolean await(long timeoutNs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNs;
        while (!done.await(sampling ? 50_000_000L : timeoutNs, TimeUnit.NANOSECONDS)) {
            printSamples();
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
        }
        printSamples();
        return true;
    }

    private void printSamples() {
        ProgressSample sample;
        while ((sample = samples.poll()) != null) {
            config.progress().println(sample.format());
        }
    }

    /** Builds the result; call after {@link #await} returned true (the latch orders the reads). */
    LoadResult result(LoopStats stats) {
        long sent = 0;
        long received = 0;
        for (LoadConnection c : connections) {
            sent += c.bytesSent();
            received += c.bytesReceived();
        }
        long cpu = windowCpuStartNs < 0 || windowCpuEndNs < 0 ? -1 : windowCpuEndNs - windowCpuStartNs;
        return new LoadResult(config, total.copy(), measured, windowEndNs - windowStartNs, cpu, completed, sent, received,
                opened, openingNs, tls, Collections.unmodifiableMap(new EnumMap<>(errors)), List.copyOf(errorSamples),
                stats);
    }
}
