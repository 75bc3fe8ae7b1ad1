package dev.sluice.samples.http;

import dev.sluice.CloseReason;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.NanoClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Thread: one benchmark thread's loop only, except {@link #awaitEnd}, {@link #progressRequests},
 * {@link #progressErrors} and the getters, which the caller uses after {@link #awaitEnd} returned
 * {@code true} (the latch orders the loop's writes before them).
 *
 * <p>The state of one thread of an {@link HttpBench} run: its share of the connections (and of the
 * rate), the counters and the histograms. Every 100 ms it records the thread's request rate, as wrk
 * does for its "Req/Sec" line, and publishes its totals for the progress line.
 */
final class BenchRun {

    /** Latencies above a minute are recorded as a minute; HdrHistogram needs a bound. */
    private static final long HIGHEST_LATENCY_US = TimeUnit.MINUTES.toMicros(1);
    /** How long to wait before replacing a connection whose connect failed, so a dead server is not hammered. */
    private static final long RECONNECT_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /** wrk's RECORD_INTERVAL_MS. */
    static final long SAMPLE_NS = TimeUnit.MILLISECONDS.toNanos(100);

    final EventLoop loop;
    final BenchConfig config;
    final NanoClock clock;
    /** The request, encoded once; every send copies it with {@code writeCopy}. */
    final ByteBuffer request;
    private final InetSocketAddress address;
    private final ConnectionConfig connectionConfig;
    private final int slots;
    private final long rate;
    private final RateSchedule[] schedules;
    private final Histogram histogram = new Histogram(1, HIGHEST_LATENCY_US, 3);
    private final Histogram rates = new Histogram(1, 1_000_000_000L, 3);
    private final long[] statusCounts = new long[600];
    private final long[] errors = new long[HttpBench.ErrorKind.values().length];
    private final List<BenchConnection> live = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Runnable sampleTask = this::sample;
    private final Runnable connectTask = this::connectFreeSlot;
    private final boolean[] slotBusy;

    /** The first error counted with a reason, for the one line that says why (a refused certificate...). */
    private String firstError;
    private volatile long publishedRequests;
    private volatile long publishedErrors;
    private long requests;
    /** Responses completed since the start, warm-up included: what the progress line counts. */
    private long allRequests;
    private long bytesRead;
    private long connects;
    private long startNs;
    private long elapsedNs;
    /** This loop thread's CPU time at the window's start, and over the window; -1 when the JVM cannot tell. */
    private long cpuStartNs = -1;
    private long cpuNs = -1;
    private long lastSampleNs;
    private long lastSampleRequests;
    private boolean measuring;
    private boolean stopped;

    BenchRun(EventLoop loop, BenchConfig config, int thread, InetSocketAddress address, NanoClock clock) {
        this.loop = loop;
        this.config = config;
        this.address = address;
        this.clock = clock;
        this.slots = config.connectionsOf(thread);
        this.rate = config.rateOf(thread);
        this.schedules = new RateSchedule[slots];
        this.slotBusy = new boolean[slots];
        byte[] bytes = config.requestBytes();
        this.request = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        this.connectionConfig = ConnectionConfig.defaults()
                .withConnectTimeoutNs(config.connectTimeoutNs())
                .withReadIdleTimeoutNs(config.timeoutNs())
                .withTls(config.tls() == null ? null : config.tls().withHandshakeTimeoutNs(config.handshakeTimeoutNs()));
    }

    void start() {
        long now = clock.nanoTime();
        for (int i = 0; i < slots; i++) {
            if (rate > 0) {
                schedules[i] = new RateSchedule(now, i, slots, rate);
            }
            connect(i);
        }
        loop.schedule(sampleTask, SAMPLE_NS);
        if (config.warmupNs() > 0) {
            loop.schedule(this::startMeasuring, config.warmupNs());
        } else {
            startMeasuring();
        }
    }

    /** Forgets the warm-up: counts start from zero now. */
    private void startMeasuring() {
        requests = 0;
        bytesRead = 0;
        Arrays.fill(statusCounts, 0);
        Arrays.fill(errors, 0);
        firstError = null;
        histogram.reset();
        measuring = true;
        startNs = clock.nanoTime();
        cpuStartNs = threadCpuNs();
        if (config.warmupNs() > 0) {
            for (RateSchedule schedule : schedules) {
                if (schedule != null) {
                    schedule.restartAt(startNs); // the warm-up's backlog is not the window's
                }
            }
        }
        lastSampleNs = startNs;
        lastSampleRequests = 0;
        // schedule() counts from this iteration's start, which may be well before now (a long
        // iteration, a cold JVM): add the difference so the measured span is never short.
        loop.schedule(this::stop, config.durationNs() + Math.max(0, startNs - loop.nowNs()));
    }

    private void sample() {
        if (stopped) {
            return;
        }
        if (measuring) {
            long now = clock.nanoTime();
            long perSecond = (requests - lastSampleRequests) * 1_000_000_000L / Math.max(1, now - lastSampleNs);
            rates.recordValue(Math.min(perSecond, rates.getHighestTrackableValue()));
            lastSampleNs = now;
            lastSampleRequests = requests;
        } else {
            histogram.reset(); // as startMeasuring will: its first value is then a new maximum, not a first
        }
        publishedRequests = allRequests;
        long errorSum = 0;
        for (long e : errors) {
            errorSum += e;
        }
        publishedErrors = errorSum;
        loop.schedule(sampleTask, SAMPLE_NS);
    }

    private void connect(int slot) {
        if (stopped) {
            return;
        }
        slotBusy[slot] = true;
        BenchConnection c = new BenchConnection(this, slot, schedules[slot]);
        live.add(c);
        c.connection = loop.connect(address, connectionConfig, c);
    }

    private void connectFreeSlot() {
        for (int i = 0; i < slots; i++) {
            if (!slotBusy[i]) {
                connect(i);
                return;
            }
        }
    }

    private void stop() {
        stopped = true;
        elapsedNs = clock.nanoTime() - startNs;
        long cpuEnd = threadCpuNs();
        cpuNs = cpuStartNs < 0 || cpuEnd < 0 ? -1 : cpuEnd - cpuStartNs;
        publishedRequests = allRequests;
        for (BenchConnection c : List.copyOf(live)) {
            c.connection.close();
        }
        if (live.isEmpty()) {
            ended.countDown();
        }
    }

    boolean stopped() {
        return stopped;
    }

    void opened() {
        connects++;
    }

    void received(int bytes) {
        bytesRead += bytes; // the warm-up's too: startMeasuring zeroes it
    }

    /**
     * One response. The warm-up counts and records exactly as the window does (startMeasuring zeroes it
     * all), so that the JIT compiles during the warm-up the code the window runs: a branch on
     * {@code measuring} here, never taken in the warm-up, threw the compiled read path away as the window
     * opened (the same as issue 14 found in {@code load}; see {@code LoadRun.HEARTBEAT_NS}).
     */
    void completed(int status, long latencyNs) {
        allRequests++;
        requests++;
        statusCounts[Math.min(status, statusCounts.length - 1)]++;
        histogram.recordValue(Math.max(0, Math.min(latencyNs / 1000, HIGHEST_LATENCY_US)));
    }

    void error(HttpBench.ErrorKind kind) {
        if (!stopped) {
            errors[kind.ordinal()]++;
        }
    }

    /**
     * A connection closed: count why (unless we closed it on purpose) and replace it in its slot. One
     * that never opened (connect or TLS handshake failed) is a connect error, as in wrk.
     */
    void closed(BenchConnection c, CloseReason reason, Throwable cause, boolean opened, boolean expected) {
        live.remove(c);
        slotBusy[c.slot] = false;
        if (stopped) {
            if (live.isEmpty()) {
                ended.countDown();
            }
            return;
        }
        if (!opened) {
            error(HttpBench.ErrorKind.CONNECT);
            noteFirst(reason, cause);
            loop.schedule(connectTask, RECONNECT_DELAY_NS);
            return;
        }
        if (!expected) {
            error(reason == CloseReason.WRITE_TIMEOUT ? HttpBench.ErrorKind.WRITE : HttpBench.ErrorKind.READ);
            noteFirst(reason, cause);
        }
        connect(c.slot);
    }

    private void noteFirst(CloseReason reason, Throwable cause) {
        if (firstError == null) {
            firstError = reason + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
    }

    boolean awaitEnd(long timeoutNs) throws InterruptedException {
        return ended.await(timeoutNs, TimeUnit.NANOSECONDS);
    }

    /** Thread: any. @return responses completed so far, warm-up included, as of the last 100 ms sample */
    long progressRequests() {
        return publishedRequests;
    }

    /** Thread: any. @return errors so far, as of the last 100 ms sample */
    long progressErrors() {
        return publishedErrors;
    }

    long requests() {
        return requests;
    }

    /** @return the first connect, read or write error's reason and message, or {@code null} */
    String firstError() {
        return firstError;
    }

    long bytesRead() {
        return bytesRead;
    }

    long connects() {
        return connects;
    }

    long elapsedNs() {
        return elapsedNs;
    }

    long cpuNs() {
        return cpuNs;
    }

    /** The calling (loop) thread's CPU time, read at the window's edges only; -1 when not supported. */
    private static long threadCpuNs() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
    }

    Histogram histogram() {
        return histogram;
    }

    Histogram rates() {
        return rates;
    }

    long[] statusCounts() {
        return statusCounts;
    }

    long[] errors() {
        return errors;
    }
}
