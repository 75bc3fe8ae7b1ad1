package dev.sluice.samples.http;

import dev.sluice.EventLoop;
import dev.sluice.LoopConfig;
import dev.sluice.LoopStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Thread: any; {@link #run} blocks the calling thread for the duration of the run.
 *
 * <p>A wrk-style HTTP/1.1 load generator on one event loop: a fixed number of keep-alive connections,
 * each keeping {@code pipeline} GET requests in flight, for a fixed duration. It records every
 * response's latency (send to complete) in an HdrHistogram, counts status codes, bytes and errors by
 * kind, and reconnects when a connection closes, as wrk does.
 *
 * <p>An optional warm-up runs the same load first and counts nothing of it: a JVM client compiles its
 * hot paths during the first seconds, and on a small machine the compiler threads compete with the
 * server being measured. wrk, a native program, needs none.
 *
 * <p>Like wrk (and unlike wrk2), it is a closed loop: a slow response delays the next request on its
 * connection, so latencies understate what an open-loop client would see (coordinated omission).
 * Unlike wrk, {@code --pipeline N} keeps N requests in flight continuously (a sliding window) instead
 * of sending batches of N.
 */
public final class HttpBench {

    /**
     * Thread: any (immutable). What to run.
     *
     * @param url              the URL to GET
     * @param connections      keep-alive connections
     * @param warmupNs         how long to send requests before measuring (JIT compilation, connection
     *                         setup); nothing from it is counted
     * @param durationNs       how long to send requests and measure
     * @param pipeline         requests in flight per connection
     * @param timeoutNs        a connection that receives nothing for this long while waiting counts a
     *                         timeout error and is replaced
     * @param connectTimeoutNs connect timeout per connection
     */
    public record Config(HttpUrl url, int connections, long warmupNs, long durationNs, int pipeline, long timeoutNs,
                         long connectTimeoutNs) {

        /** Validates the configuration. */
        public Config {
            if (url == null || connections < 1 || warmupNs < 0 || durationNs <= 0 || pipeline < 1 || timeoutNs <= 0
                    || connectTimeoutNs <= 0) {
                throw new IllegalArgumentException("need a URL, connections >= 1, pipeline >= 1 and positive durations");
            }
            if (url.secure()) {
                // HttpUrl parses https for fetch; the bench's connections are plain HTTP (issue 12 left it).
                throw new IllegalArgumentException("https is not supported yet: " + url);
            }
        }

        /**
         * Thread: any. No warm-up, pipeline 1, 2 s timeout, 2 s connect timeout (wrk's defaults).
         *
         * @param url         the URL
         * @param connections connections
         * @param durationNs  duration
         * @return the configuration
         */
        public static Config of(HttpUrl url, int connections, long durationNs) {
            return new Config(url, connections, 0, durationNs, 1, TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(2));
        }

        /**
         * Thread: any.
         *
         * @param depth requests in flight per connection
         * @return a copy with it
         */
        public Config withPipeline(int depth) {
            return new Config(url, connections, warmupNs, durationNs, depth, timeoutNs, connectTimeoutNs);
        }

        /**
         * Thread: any.
         *
         * @param nanos warm-up before measuring
         * @return a copy with it
         */
        public Config withWarmupNs(long nanos) {
            return new Config(url, connections, nanos, durationNs, pipeline, timeoutNs, connectTimeoutNs);
        }
    }

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
        /** A response that the parser rejected. */
        PARSE
    }

    /**
     * Thread: any (immutable apart from the histogram, which the caller owns once returned).
     *
     * @param config       what was run
     * @param requests     responses completed within the duration
     * @param bytesRead    bytes received within the duration, heads included
     * @param elapsedNs    the measured duration
     * @param latencyUs    response latencies in microseconds
     * @param statusCounts responses by status code
     * @param errors       errors by kind (kinds with none left out)
     * @param connects     connections established, reconnections included
     * @param loopStats    the loop's counters at the end
     */
    public record Result(Config config, long requests, long bytesRead, long elapsedNs, Histogram latencyUs,
                         Map<Integer, Long> statusCounts, Map<ErrorKind, Long> errors, long connects,
                         LoopStats loopStats) {

        /**
         * Thread: any.
         *
         * @return completed responses per second
         */
        public double requestsPerSecond() {
            return requests * 1e9 / elapsedNs;
        }

        /**
         * Thread: any.
         *
         * @return bytes received per second
         */
        public double bytesPerSecond() {
            return bytesRead * 1e9 / elapsedNs;
        }

        /**
         * Thread: any.
         *
         * @return errors of all kinds
         */
        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        /**
         * Thread: any.
         *
         * @return responses with a status outside 200..399 (wrk's "Non-2xx or 3xx responses")
         */
        public long non2xx3xx() {
            return statusCounts.entrySet().stream().filter(e -> e.getKey() < 200 || e.getKey() > 399)
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    private HttpBench() {
    }

    /**
     * Thread: any but a loop thread. Resolves the URL's host on the calling thread, then runs on a new
     * loop of its own, which has ended when this returns.
     *
     * @param config what to run
     * @return the measurements
     * @throws IOException when the host cannot be resolved
     */
    public static Result run(Config config) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(config.url().host()), config.url().port());
        return run(config, address, LoopConfig.defaults().withName("http-bench"));
    }

    /**
     * Thread: any but a loop thread. Runs against an already resolved address on a new loop made from
     * {@code loopConfig}, which has ended when this returns.
     *
     * @param config     what to run
     * @param address    where to connect
     * @param loopConfig the loop's configuration (its clock also times the latencies)
     * @return the measurements
     */
    public static Result run(Config config, InetSocketAddress address, LoopConfig loopConfig) {
        EventLoop loop = EventLoop.start(loopConfig);
        BenchRun run = new BenchRun(loop, config, address, loopConfig.clock());
        try {
            loop.execute(run::start);
            long graceNs = TimeUnit.SECONDS.toNanos(5);
            if (!run.awaitEnd(config.warmupNs() + config.durationNs() + config.connectTimeoutNs() + graceNs)) {
                throw new IllegalStateException("the benchmark did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            loop.close();
        }
        Map<Integer, Long> statuses = new TreeMap<>();
        long[] statusCounts = run.statusCounts();
        for (int s = 0; s < statusCounts.length; s++) {
            if (statusCounts[s] > 0) {
                statuses.put(s, statusCounts[s]);
            }
        }
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        for (ErrorKind kind : ErrorKind.values()) {
            if (run.errors()[kind.ordinal()] > 0) {
                errors.put(kind, run.errors()[kind.ordinal()]);
            }
        }
        return new Result(config, run.requests(), run.bytesRead(), run.elapsedNs(), run.histogram(),
                Collections.unmodifiableMap(statuses), Collections.unmodifiableMap(errors), run.connects(), loop.stats());
    }
}
