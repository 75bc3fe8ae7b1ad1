package dev.sluice.samples.http;

import dev.sluice.CloseReason;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.NanoClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Thread: the benchmark's loop thread only, except {@link #awaitEnd} and the getters, which the caller
 * uses after {@link #awaitEnd} returned {@code true} (the latch orders the loop's writes before them).
 *
 * <p>The state of one {@link HttpBench} run: its connections, the counters and the histogram.
 */
final class BenchRun {

    /** Latencies above a minute are recorded as a minute; HdrHistogram needs a bound. */
    private static final long HIGHEST_LATENCY_US = TimeUnit.MINUTES.toMicros(1);
    /** How long to wait before replacing a connection whose connect failed, so a dead server is not hammered. */
    private static final long RECONNECT_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(10);

    final EventLoop loop;
    final HttpBench.Config config;
    final NanoClock clock;
    /** The request, encoded once; every send copies it with {@code writeCopy}. */
    final ByteBuffer request;
    private final InetSocketAddress address;
    private final ConnectionConfig connectionConfig;
    private final Histogram histogram = new Histogram(1, HIGHEST_LATENCY_US, 3);
    private final long[] statusCounts = new long[600];
    private final long[] errors = new long[HttpBench.ErrorKind.values().length];
    private final List<BenchConnection> live = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    private long requests;
    private long bytesRead;
    private long connects;
    private long startNs;
    private long elapsedNs;
    private boolean measuring;
    private boolean stopped;

    BenchRun(EventLoop loop, HttpBench.Config config, InetSocketAddress address, NanoClock clock) {
        this.loop = loop;
        this.config = config;
        this.address = address;
        this.clock = clock;
        this.request = HttpRequestWriter.get(config.url(), true);
        this.connectionConfig = ConnectionConfig.defaults()
                .withConnectTimeoutNs(config.connectTimeoutNs())
                .withReadIdleTimeoutNs(config.timeoutNs());
    }

    void start() {
        for (int i = 0; i < config.connections(); i++) {
            connect();
        }
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
        java.util.Arrays.fill(statusCounts, 0);
        java.util.Arrays.fill(errors, 0);
        histogram.reset();
        measuring = true;
        startNs = clock.nanoTime();
        // schedule() counts from this iteration's start, which may be well before now (a long
        // iteration, a cold JVM): add the difference so the measured span is never short.
        loop.schedule(this::stop, config.durationNs() + Math.max(0, startNs - loop.nowNs()));
    }

    private void connect() {
        if (stopped) {
            return;
        }
        BenchConnection c = new BenchConnection(this);
        live.add(c);
        c.connection = loop.connect(address, connectionConfig, c);
    }

    private void stop() {
        stopped = true;
        elapsedNs = clock.nanoTime() - startNs;
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
        bytesRead += bytes;
    }

    void completed(int status, long latencyNs) {
        if (!measuring) {
            return;
        }
        requests++;
        statusCounts[status]++;
        histogram.recordValue(Math.max(0, Math.min(latencyNs / 1000, HIGHEST_LATENCY_US)));
    }

    void error(HttpBench.ErrorKind kind) {
        if (!stopped) {
            errors[kind.ordinal()]++;
        }
    }

    /** A connection closed: count why (unless we closed it on purpose) and replace it. */
    void closed(BenchConnection c, CloseReason reason, boolean opened, boolean expected) {
        live.remove(c);
        if (stopped) {
            if (live.isEmpty()) {
                ended.countDown();
            }
            return;
        }
        if (!opened) {
            error(HttpBench.ErrorKind.CONNECT);
            loop.schedule(this::connect, RECONNECT_DELAY_NS);
            return;
        }
        if (!expected) {
            error(reason == CloseReason.WRITE_TIMEOUT ? HttpBench.ErrorKind.WRITE : HttpBench.ErrorKind.READ);
        }
        connect();
    }

    boolean awaitEnd(long timeoutNs) throws InterruptedException {
        return ended.await(timeoutNs, TimeUnit.NANOSECONDS);
    }

    long requests() {
        return requests;
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

    Histogram histogram() {
        return histogram;
    }

    long[] statusCounts() {
        return statusCounts;
    }

    long[] errors() {
        return errors;
    }
}
