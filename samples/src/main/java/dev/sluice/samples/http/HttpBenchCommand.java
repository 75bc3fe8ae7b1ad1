package dev.sluice.samples.http;

import dev.sluice.samples.CliException;
import dev.sluice.samples.Durations;
import dev.sluice.samples.support.TlsTrustOptions;
import dev.sluice.samples.support.ResultFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Thread: {@link #call()} on the thread that runs the command; it blocks for the run's duration.
 *
 * <p>{@code http-bench [-t N] [-c N] [-d DURATION] [-R RATE] [--latency] [--cacert FILE | -k] URL}:
 * keep-alive GET load from {@code -t} event loops, with wrk's flags and wrk's report (see
 * {@link BenchReport}), and wrk2's fixed-rate mode; https over TLS. Exit code 0 when at least one
 * request completed, 1 otherwise, 2 for a usage error.
 */
@Command(name = "http-bench", mixinStandardHelpOptions = true, sortOptions = false,
        header = "wrk-style HTTP/1.1 load generator, with wrk2's fixed-rate mode.",
        description = {"Keep-alive GETs from N Sluice event loops (one thread each, connections spread over them,",
                "as wrk does); an HdrHistogram of latencies; wrk's report. With -R it is wrk2: each request has",
                "an intended send time on a constant schedule and its latency counts from that time, so a",
                "stalling server is charged for the requests it held up (coordinated omission corrected).",
                "https:// URLs run over TLS; a connection whose handshake fails is a connect error, as in wrk."})
public final class HttpBenchCommand implements Callable<Integer> {

    /** Runs longer than this print a progress line a second without being asked. */
    private static final Duration AUTO_PROGRESS_OVER = Duration.ofSeconds(2);

    @Parameters(paramLabel = "URL", description = "The http:// or https:// URL to GET; https checks the "
            + "certificate and the host name, as fetch does.")
    String url;

    @Option(names = {"-c", "--connections"}, defaultValue = "10", paramLabel = "N",
            description = "Connections to keep open, spread over the threads (default: ${DEFAULT-VALUE}, as wrk).")
    int connections;

    @Option(names = {"-d", "--duration"}, defaultValue = "10s", converter = Durations.Converter.class,
            paramLabel = "DURATION", description = "Duration of the test, e.g. 10s, 2m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = {"-t", "--threads"}, defaultValue = "2", paramLabel = "N",
            description = "Threads, one event loop each (default: ${DEFAULT-VALUE}, as wrk).")
    int threads;

    @Option(names = {"-R", "--rate"}, defaultValue = "0", paramLabel = "RATE",
            description = "Total requests per second on a fixed schedule, latency from each request's intended "
                    + "send time (wrk2); the schedule starts over after the warm-up. 0: closed loop, each response "
                    + "sends the next request (default).")
    long rate;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
            description = "Add a header to the request; repeatable. Host, User-Agent, Accept or Connection "
                    + "replace the default field.")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-L", "--latency"}, description = "Print the latency percentiles and the detailed spectrum.")
    boolean latency;

    @Option(names = "--timeout", defaultValue = "2s", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "Count a timeout (and reconnect) when nothing arrives for this long; also the connect "
                    + "timeout, and a TLS handshake's, which is never under 10s (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = {"-w", "--warmup"}, converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "Run the load this long first without counting it, so the JVM has compiled its hot "
                    + "paths; 0 for none. Default: 1s, or 5s with -R (like wrk2's calibration: a fixed rate "
                    + "charges every stall to the latency, a cold JIT's too).")
    Duration warmup;

    @Option(names = "--pipeline", defaultValue = "1", paramLabel = "N",
            description = "Requests in flight per connection at most (default: ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--hgrm", paramLabel = "FILE",
            description = "Write the HdrHistogram percentile distribution (milliseconds) to FILE, for "
                    + "HdrHistogram's plotter.")
    Path hgrm;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Append one CSV line (header first if FILE is new); '-' prints both after the report.")
    String csv;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the result as one JSON object; '-' prints it after the report.")
    String json;

    /** For https: --cacert, -k, as fetch spells them. */
    @Mixin
    TlsTrustOptions tls;

    @Option(names = "--progress", negatable = true,
            description = "A line a second on standard error: elapsed, req/s, errors. Default: on for runs over 2s.")
    Boolean progress;

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
     * @param err where errors and progress lines go
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
    public Integer call() throws IOException {
        Duration warmup = this.warmup != null ? this.warmup : Duration.ofSeconds(rate > 0 ? 5 : 1);
        BenchConfig config;
        try {
            HttpUrl target = HttpUrl.parse(url);
            if (!target.secure() && tls.given()) {
                throw new IllegalArgumentException("--cacert and --insecure are for https:// URLs: " + target);
            }
            config = new BenchConfig(target, connections, threads, warmup.toNanos(), duration.toNanos(),
                    pipeline, timeout.toNanos(), timeout.toNanos(), rate, headers,
                    target.secure() ? tls.client(target.host()) : null);
        } catch (IllegalArgumentException e) {
            err.println("http-bench: " + e.getMessage());
            return 2;
        } catch (CliException e) {
            err.println("http-bench: " + e.getMessage()); // an unreadable --cacert file
            return 1;
        }
        boolean showProgress = progress != null ? progress : duration.plus(warmup).compareTo(AUTO_PROGRESS_OVER) > 0;
        BenchReport.printHeader(config, out);
        BenchResult r;
        try {
            r = HttpBench.run(config, showProgress ? err : null);
        } catch (IOException e) {
            err.println("http-bench: cannot resolve " + config.url().host() + ": " + FetchClient.describe(e));
            return 1;
        }
        BenchReport.printSummary(r, latency, out);
        writeFiles(r);
        out.flush();
        if (r.requests() == 0) {
            String why = !r.errors().isEmpty() ? " (errors: " + r.errors().entrySet().stream()
                    .map(e -> e.getKey().name().toLowerCase(java.util.Locale.ROOT) + " " + e.getValue())
                    .collect(Collectors.joining(", ")) + ")"
                    : r.connects() == 0 ? " (no connection had opened yet: connects and TLS handshakes took longer "
                    + "than the run; try a longer -w)" : "";
            err.println("http-bench: no request completed" + why);
        }
        if (r.errorCount() > 0 && r.firstError() != null) {
            // wrk's "Socket errors" line counts; this says why, once (a refused certificate, a reset...).
            err.println("http-bench: first socket error: " + r.firstError());
        }
        return r.requests() == 0 ? 1 : 0;
    }

    private void writeFiles(BenchResult r) throws IOException {
        if (hgrm != null) {
            try (PrintStream file = new PrintStream(Files.newOutputStream(hgrm), false, StandardCharsets.UTF_8)) {
                BenchReport.writeHgrm(r, file);
            }
        }
        ResultFiles.write(out, csv, BenchReport.csvHeader(), BenchReport.csvLine(r), json, BenchReport.json(r));
    }
}
