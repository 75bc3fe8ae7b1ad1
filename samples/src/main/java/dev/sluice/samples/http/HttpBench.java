package dev.sluice.samples.http;

import dev.sluice.EventLoop;
import dev.sluice.LoopConfig;
import dev.sluice.LoopStats;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Thread: any; {@link #run} blocks the calling thread for the duration of the run.
 *
 * <p>A wrk-style HTTP/1.1 load generator: {@code threads} event loops, one thread each, with the
 * keep-alive connections spread over them, each connection keeping up to {@code pipeline} GET
 * requests in flight, for a fixed duration. It records every response's latency in an HdrHistogram,
 * counts status codes, bytes and errors by kind, samples each thread's request rate every 100 ms (for
 * wrk's "Req/Sec" line), and reconnects when a connection closes, as wrk does.
 *
 * <p>Closed loop by default, like wrk: a slow response delays the next request on its connection, so
 * latencies understate what an open-loop client would see (coordinated omission). With a rate, it is
 * wrk2: a constant schedule per connection ({@link RateSchedule}), latency from the intended send time;
 * the schedule starts over when the warm-up ends, so a backlog built while the JVM was cold is not
 * charged to the measured window.
 * Unlike wrk, {@code --pipeline N} keeps N requests in flight continuously (a sliding window) instead
 * of sending batches of N.
 *
 * <p>An optional warm-up runs the same load first and counts nothing of it: a JVM client compiles its
 * hot paths during the first seconds, and on a small machine the compiler threads compete with the
 * server being measured. wrk, a native program, needs none.
 */
public final class HttpBench {

    /** Thread: any. Error kinds, wrk's socket errors plus responses that could not be parsed. */
    public enum ErrorKind {
        /** A connect failed or timed out. */
        CONNECT,
        /** The connection was reset or closed by the server with requests in flight. */
        READ,
        /** Output could not be written (reset while writing, or stalled). */
        WRITE,
        /** Nothing arrived for the timeout while requests were in flight. */
        TIMEOUT,
        /** A response that could not be framed; wrk counts these as read errors. */
        PARSE
    }

    private HttpBench() {
    }

    /**
     * Thread: any but a loop thread. Resolves the URL's host on the calling thread, then runs on new
     * loops of its own, which have ended when this returns.
     *
     * @param config   what to run
     * @param progress where a line a second goes while it runs, or {@code null}
     * @return the measurements
     * @throws IOException when the host cannot be resolved
     */
    public static BenchResult run(BenchConfig config, PrintStream progress) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(config.url().host()), config.url().port());
        return run(config, address, LoopConfig.defaults().withName("http-bench"), progress);
    }

    /**
     * Thread: any but a loop thread. Like {@link #run(BenchConfig, InetSocketAddress, LoopConfig, PrintStream)}
     * without progress lines.
     *
     * @param config     what to run
     * @param address    where to connect
     * @param loopConfig the loops' configuration
     * @return the measurements
     */
    public static BenchResult run(BenchConfig config, InetSocketAddress address, LoopConfig loopConfig) {
        return run(config, address, loopConfig, null);
    }

    /**
     * Thread: any but a loop thread. Runs against an already resolved address on {@code threads} new
     * loops made from {@code loopConfig} (named after it, with {@code -1}, {@code -2}... when there is
     * more than one), which have all ended when this returns.
     *
     * @param config     what to run
     * @param address    where to connect
     * @param loopConfig the loops' configuration (its clock also times the latencies and the schedule)
     * @param progress   where a line a second goes while it runs, or {@code null}
     * @return the measurements
     */
    public static BenchResult run(BenchConfig config, InetSocketAddress address, LoopConfig loopConfig,
            PrintStream progress) {
        List<EventLoop> loops = new ArrayList<>();
        List<BenchRun> runs = new ArrayList<>();
        try {
            for (int t = 0; t < config.threads(); t++) {
                LoopConfig lc = config.threads() == 1 ? loopConfig : loopConfig.withName(loopConfig.name() + "-" + (t + 1));
                EventLoop loop = EventLoop.start(lc);
                loops.add(loop);
                runs.add(new BenchRun(loop, config, t, address, lc.clock()));
            }
            for (int t = 0; t < runs.size(); t++) {
                loops.get(t).execute(runs.get(t)::start);
            }
            awaitAll(config, runs, progress);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (EventLoop loop : loops) {
                loop.close();
            }
        }
        return merge(config, runs, loops);
    }

    private static void awaitAll(BenchConfig config, List<BenchRun> runs, PrintStream progress)
            throws InterruptedException {
        long graceNs = TimeUnit.SECONDS.toNanos(5);
        long deadline = System.nanoTime() + config.warmupNs() + config.durationNs() + config.connectTimeoutNs() + graceNs;
        long started = System.nanoTime();
        long lastRequests = 0;
        long lastNs = started;
        for (BenchRun run : runs) {
            while (!run.awaitEnd(progress == null ? Math.max(1, deadline - System.nanoTime()) : TimeUnit.SECONDS.toNanos(1))) {
                long now = System.nanoTime();
                if (now - deadline > 0) {
                    throw new IllegalStateException("the benchmark did not end");
                }
                long requests = runs.stream().mapToLong(BenchRun::progressRequests).sum();
                long errors = runs.stream().mapToLong(BenchRun::progressErrors).sum();
                boolean warm = now - started < config.warmupNs();
                progress.printf(Locale.ROOT, "%6.1fs %,12.0f req/s %,10d errors%s%n", (now - started) / 1e9,
                        Math.max(0, requests - lastRequests) * 1e9 / (now - lastNs), errors, warm ? "  (warm-up)" : "");
                lastRequests = requests;
                lastNs = now;
            }
        }
    }

    private static BenchResult merge(BenchConfig config, List<BenchRun> runs, List<EventLoop> loops) {
        Histogram latency = new Histogram(1, TimeUnit.MINUTES.toMicros(1), 3);
        Histogram rates = new Histogram(1, 1_000_000_000L, 3);
        long[] statusCounts = new long[600];
        long[] errorCounts = new long[ErrorKind.values().length];
        long requests = 0;
        long bytes = 0;
        long connects = 0;
        long elapsed = 0;
        long cpu = 0;
        String firstError = null;
        for (BenchRun run : runs) {
            firstError = firstError != null ? firstError : run.firstError();
            cpu = cpu < 0 || run.cpuNs() < 0 ? -1 : cpu + run.cpuNs();
            latency.add(run.histogram());
            rates.add(run.rates());
            requests += run.requests();
            bytes += run.bytesRead();
            connects += run.connects();
            elapsed = Math.max(elapsed, run.elapsedNs());
            for (int s = 0; s < statusCounts.length; s++) {
                statusCounts[s] += run.statusCounts()[s];
            }
            for (int k = 0; k < errorCounts.length; k++) {
                errorCounts[k] += run.errors()[k];
            }
        }
        Map<Integer, Long> statuses = new TreeMap<>();
        for (int s = 0; s < statusCounts.length; s++) {
            if (statusCounts[s] > 0) {
                statuses.put(s, statusCounts[s]);
            }
        }
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        for (ErrorKind kind : ErrorKind.values()) {
            if (errorCounts[kind.ordinal()] > 0) {
                errors.put(kind, errorCounts[kind.ordinal()]);
            }
        }
        List<LoopStats> stats = new ArrayList<>();
        for (EventLoop loop : loops) {
            stats.add(loop.stats());
        }
        return new BenchResult(config, requests, bytes, elapsed, cpu, latency, rates, Collections.unmodifiableMap(statuses),
                Collections.unmodifiableMap(errors), connects, List.copyOf(stats), firstError);
    }
}
