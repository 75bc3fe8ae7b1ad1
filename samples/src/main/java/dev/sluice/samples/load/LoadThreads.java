package dev.sluice.samples.load;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * The load generator on several event loops, one thread each, as wrk spreads its connections: thread
 * {@code i} of {@code n} takes its share of the connections and of the rate (the first ones one more
 * when they do not divide evenly), runs a whole {@link LoadGenerator} run, and the results are merged.
 * Loop threads are named {@code load-generator-1}, {@code -2}...; with one thread it is exactly
 * {@link LoadGenerator#run(LoadConfig, PrintStream)}.
 *
 * <p>Thread: any; {@code run} blocks the caller until every thread's run ended.
 */
public final class LoadThreads {
    private LoadThreads() {
    }

    /**
     * Thread: any.
     *
     * @param config  the whole run: total connections, total rate
     * @param threads event loops to spread it over, at most the connection count
     * @param log     where loops report errors they survived
     * @return the merged result; its {@code loopStats} are the first thread's loop
     * @throws InterruptedException when interrupted while waiting
     */
    public static LoadResult run(LoadConfig config, int threads, PrintStream log) throws InterruptedException {
        if (threads < 1 || threads > config.connections()) {
            throw new IllegalArgumentException("threads must be 1.." + config.connections()
                    + " (the connections are spread over them), got " + threads);
        }
        if (config.openLoop() && config.ratePerSecond() < threads) {
            throw new IllegalArgumentException("the rate must be at least one message per second per thread");
        }
        if (threads == 1) {
            return LoadGenerator.run(config, log);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<LoadResult>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                LoadConfig part = config.withConnections((int) share(config.connections(), threads, t))
                        .withRate(share(config.ratePerSecond(), threads, t))
                        .withProgress(config.progress() == null ? null : prefixed(config.progress(), "[t" + (t + 1) + "] "));
                String name = "load-generator-" + (t + 1);
                runs.add(pool.submit(() -> LoadGenerator.run(part, log, name)));
            }
            List<LoadResult> results = new ArrayList<>();
            for (Future<LoadResult> run : runs) {
                results.add(run.get());
            }
            return merge(config, results);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    static long share(long total, int parts, int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    static LoadResult merge(LoadConfig config, List<LoadResult> parts) {
        Histogram latency = new Histogram(LoadRun.MAX_LATENCY_NS, 3);
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        List<String> samples = new ArrayList<>();
        long messages = 0;
        long measuredNs = 0;
        long cpu = 0;
        long total = 0;
        long sent = 0;
        long received = 0;
        int opened = 0;
        long openingNs = 0;
        String tls = null;
        for (LoadResult r : parts) {
            openingNs = Math.max(openingNs, r.openingNs());
            tls = tls != null ? tls : r.tls();
            latency.add(r.latencyNs());
            messages += r.messages();
            measuredNs = Math.max(measuredNs, r.measuredNs());
            cpu = cpu < 0 || r.loopCpuNs() < 0 ? -1 : cpu + r.loopCpuNs();
            total += r.messagesTotal();
            sent += r.bytesSent();
            received += r.bytesReceived();
            opened += r.connectionsOpened();
            r.errors().forEach((kind, n) -> errors.merge(kind, n, Long::sum));
            for (String s : r.errorSamples()) {
                if (samples.size() < 10) {
                    samples.add(s);
                }
            }
        }
        return new LoadResult(config, latency, messages, measuredNs, cpu, total, sent, received, opened, openingNs, tls,
                Collections.unmodifiableMap(errors), List.copyOf(samples), parts.get(0).loopStats());
    }

    /** Each progress line of one thread, with its tag in front; lines are printed whole. */
    private static PrintStream prefixed(PrintStream out, String prefix) {
        return new PrintStream(new OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    out.println(prefix + line);
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        }, true, StandardCharsets.ISO_8859_1);
    }
}
