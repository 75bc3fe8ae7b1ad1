package dev.sluice.samples.http;

import dev.sluice.samples.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Thread: {@link #call()} on the thread that runs the command; it blocks for the run's duration.
 *
 * <p>{@code http-bench -c CONNECTIONS -d DURATION [--pipeline N] URL}: keep-alive GET load from one
 * event loop, reported the way wrk reports it (the last two lines have wrk's exact format, so the two
 * are easy to compare). Exit code 0 when at least one request completed, 1 otherwise, 2 for a usage
 * error.
 */
@Command(name = "http-bench", mixinStandardHelpOptions = true,
        description = {"wrk-style HTTP/1.1 load generator: keep-alive GETs from one Sluice event loop,",
                "with an HdrHistogram of latencies, requests/s, transfer/s, status codes and errors by kind."})
public final class HttpBenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "URL", description = "the http:// URL to GET")
    String url;

    @Option(names = {"-c", "--connections"}, defaultValue = "64", paramLabel = "N",
            description = "Connections to keep open (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-d", "--duration"}, defaultValue = "10s", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "Duration of the test, e.g. 10s, 2m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "1s", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "Run the load this long first without counting it, so the JVM has compiled its hot "
                    + "paths; 0 for none (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--pipeline", defaultValue = "1", paramLabel = "N",
            description = "Requests in flight per connection (default: ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--timeout", defaultValue = "2s", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "Count a timeout when nothing arrives for this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--latency", description = "Print the latency distribution.")
    boolean latency;

    private final PrintStream out;
    private final PrintStream err;

    /** Thread: any. Prints to {@code System.out} and {@code System.err}. */
    public HttpBenchCommand() {
        this(System.out, System.err);
    }

    /**
     * Thread: any.
     *
     * @param out where the report goes
     * @param err where errors go
     */
    public HttpBenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Thread: the command's thread.
     *
     * @return 0 when requests completed, 1 when none did or the host is unknown, 2 for a usage error
     */
    @Override
    public Integer call() {
        HttpBench.Config config;
        try {
            config = new HttpBench.Config(HttpUrl.parse(url), connections, warmup.toNanos(), duration.toNanos(), pipeline,
                    timeout.toNanos(), timeout.toNanos());
        } catch (IllegalArgumentException e) {
            err.println("http-bench: " + e.getMessage());
            return 2;
        }
        out.printf(Locale.ROOT, "Running %s test @ %s%n  %d connections, pipeline %d, 1 event loop%s%n",
                formatDuration(duration), config.url(), connections, pipeline,
                warmup.isZero() ? "" : ", after a " + formatDuration(warmup) + " warm-up (not counted)");
        HttpBench.Result r;
        try {
            r = HttpBench.run(config);
        } catch (IOException e) {
            err.println("http-bench: cannot resolve " + config.url().host() + ": " + FetchClient.describe(e));
            return 1;
        }
        print(r);
        if (r.requests() == 0) {
            err.println("http-bench: no request completed" + (r.errors().isEmpty() ? "" : " (errors: " + errors(r.errors()) + ")"));
            return 1;
        }
        return 0;
    }

    private void print(HttpBench.Result r) {
        Histogram h = r.latencyUs();
        out.printf(Locale.ROOT, "  Latency: avg %s, stdev %s, max %s%n", Units.micros(h.getMean()),
                Units.micros(h.getStdDeviation()), Units.micros(h.getMaxValue()));
        if (latency) {
            out.printf(Locale.ROOT, "  Latency distribution: 50%% %s, 75%% %s, 90%% %s, 99%% %s, 99.9%% %s%n",
                    pct(h, 50), pct(h, 75), pct(h, 90), pct(h, 99), pct(h, 99.9));
        }
        out.printf(Locale.ROOT, "  %d requests in %.2fs, %s read%n", r.requests(), r.elapsedNs() / 1e9,
                Units.bytes(r.bytesRead()));
        out.println("  Status codes: " + (r.statusCounts().isEmpty() ? "none" : r.statusCounts().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))));
        if (r.non2xx3xx() > 0) {
            out.println("  Non-2xx or 3xx responses: " + r.non2xx3xx());
        }
        out.println("  Errors: " + (r.errors().isEmpty() ? "none" : errors(r.errors())) + "; connections opened: "
                + r.connects());
        out.printf(Locale.ROOT, "Requests/sec: %10.2f%n", r.requestsPerSecond());
        out.printf(Locale.ROOT, "Transfer/sec: %10s%n", Units.bytes(r.bytesPerSecond()));
    }

    private static String pct(Histogram h, double percentile) {
        return Units.micros(h.getValueAtPercentile(percentile));
    }

    private static String errors(Map<HttpBench.ErrorKind, Long> errors) {
        return errors.entrySet().stream().map(e -> e.getKey().name().toLowerCase(Locale.ROOT) + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String formatDuration(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
