package dev.sluice.samples.cli;

import dev.sluice.TlsConfig;
import dev.sluice.samples.Durations;
import dev.sluice.samples.CliException;
import dev.sluice.samples.HostPort;
import dev.sluice.samples.Io;
import dev.sluice.samples.load.LoadConfig;
import dev.sluice.samples.OldSpellings;
import dev.sluice.samples.Sizes;
import dev.sluice.samples.load.LoadThreads;
import dev.sluice.samples.load.LoadReport;
import dev.sluice.samples.load.LoadResult;
import dev.sluice.samples.support.TlsClientOptions;
import dev.sluice.samples.support.ResultFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code load HOST:PORT}: drives an echo server and reports throughput and latency.
 *
 * <p>Thread: the main thread waits; the load runs on {@code -t} event loop threads.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Load generator for echo servers: throughput and latency, every byte verified.",
        description = "Runs on -t Sluice event loop threads. Opens every connection first (with --tls, "
                + "handshakes too: they are timed apart, not measured), runs the warmup, then measures. Every "
                + "echoed byte is checked against what was sent; every round trip is timed into an HdrHistogram. "
                + "MiB/s is payload echoed per second, one direction. Exit status 1 if any error happened (they "
                + "are listed by kind).")
final class LoadCommand implements Callable<Integer> {
    /** Runs longer than this print a progress line a second without being asked. */
    private static final Duration AUTO_PROGRESS_OVER = Duration.ofSeconds(2);

    private final Io io;

    @Parameters(index = "0", paramLabel = "HOST:PORT", converter = Converters.HostPortConverter.class,
            description = "The echo server, e.g. 127.0.0.1:7000.")
    HostPort target;

    @Option(names = {"-c", "--connections"}, defaultValue = "10", paramLabel = "N",
            description = "Connections, all opened before the clock starts. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = {"-t", "--threads"}, defaultValue = "1", paramLabel = "N", converter = Converters.Threads.class,
            description = "Event loops, one thread each; the connections (and the rate) are spread over them, "
                    + "as wrk does. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = {"-s", "--size"}, defaultValue = "64", paramLabel = "BYTES", converter = Sizes.IntConverter.class,
            description = "Bytes per message (64, 4k, 1m). Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--depth", defaultValue = "1", paramLabel = "N",
            description = "Messages in flight per connection; 1 is ping-pong. Default: ${DEFAULT-VALUE}.")
    int depth;

    @Option(names = {"-d", "--duration"}, defaultValue = "10s", paramLabel = "DURATION",
            converter = Durations.DurationNotDepth.class,
            description = "Measured time, after the warmup. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = {"-w", "--warmup"}, defaultValue = "2s", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "Time run first and discarded (errors still count). Default: ${DEFAULT-VALUE}.")
    Duration warmup;

    @Option(names = {"-R", "--rate"}, defaultValue = "0", paramLabel = "MSGS_PER_S",
            description = "Total messages per second on a fixed schedule (open loop), spread over the "
                    + "connections; latency counts from each message's intended send time, correcting for "
                    + "coordinated omission as wrk2 does. 0: closed loop, send when a reply frees a slot. "
                    + "Default: ${DEFAULT-VALUE}.")
    long rate;

    @Option(names = "--connect-timeout", defaultValue = "10s", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "How long a connect may take; with --tls the handshake after it as long again. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    /** --tls, --cacert, -k: as the client spells them. */
    @Mixin
    TlsClientOptions tls;

    @Option(names = "--hgrm", paramLabel = "FILE",
            description = "Write the HdrHistogram percentile distribution (milliseconds) to FILE.")
    Path hgrm;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Append one CSV line (header first if FILE is new); '-' prints it to standard output.")
    String csv;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the result as one JSON object; '-' prints it to standard output.")
    String json;

    @Option(names = "-r", hidden = true, paramLabel = "MSGS_PER_S")
    void oldRate(String value) {
        throw OldSpellings.renamed(spec, "-r", "-R " + value + " (as wrk2)");
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--progress", negatable = true,
            description = "A line a second on standard error: elapsed, msgs/s, current p99. "
                    + "Default: on for runs over 2s.")
    Boolean progress;

    LoadCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        boolean showProgress = progress != null ? progress : duration.plus(warmup).compareTo(AUTO_PROGRESS_OVER) > 0;
        TlsConfig tlsConfig = tls.client(target.host());
        LoadConfig config;
        try {
            config = new LoadConfig(target.resolve(), connections, size, depth, duration, warmup, rate,
                    connectTimeout, showProgress ? io.err() : null, tlsConfig);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        LoadResult result;
        try {
            result = LoadThreads.run(config, threads, io.err());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        if (result.connectionsOpened() == 0) {
            LoadReport.printErrors(result, io.out()); // counted by kind, as after a run
            io.out().flush();
            throw new CliException((tlsConfig == null ? "cannot connect to " : "cannot open a TLS connection to ")
                    + target + (result.errorSamples().isEmpty() ? "" : " (" + result.errorSamples().get(0) + ")"));
        }
        LoadReport.printSummary(result, io.out());
        writeFiles(result);
        io.out().flush();
        return result.ok() ? 0 : 1;
    }

    private void writeFiles(LoadResult result) throws IOException {
        if (hgrm != null) {
            try (PrintStream out = new PrintStream(Files.newOutputStream(hgrm), false, StandardCharsets.UTF_8)) {
                LoadReport.writeHgrm(result, out);
            }
        }
        ResultFiles.write(io.out(), csv, LoadReport.csvHeader(), LoadReport.csvLine(result), json,
                LoadReport.json(result, threads));
    }
}
