package dev.sluice.samples.file;

import dev.sluice.EventLoop;
import dev.sluice.LoopConfig;
import dev.sluice.samples.support.CommandSupport;
import dev.sluice.samples.Durations;
import dev.sluice.samples.OldSpellings;
import picocli.CommandLine.Command;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * {@code file-send FILE... HOST:PORT}: sends files to a {@code file-recv}, all at once, one connection
 * each, and exits 0 only if the receiver confirmed every one.
 *
 * <p>Thread: the calling thread waits; transfers run on one loop thread, which also prints results and
 * the progress bar (so they never interleave); CRC32C runs on worker threads.
 */
@Command(name = "file-send", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "file-send [OPTIONS] FILE... HOST:PORT",
        description = "Sends files to file-recv with zero-copy transferTo, several at once, each verified by "
                + "size and CRC32C on the receiving side. Exits 0 only if every file was confirmed.")
public final class FileSendCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "FILE... HOST:PORT", hideParamSyntax = true,
            description = "One or more files, then the receiver, e.g. big.iso localhost:7200.")
    List<String> arguments;

    @Option(names = "--progress", negatable = true, description = "Show a progress bar on standard error. "
            + "Default: when the console is a terminal.")
    Boolean progress;

    @Option(names = "--stall-timeout", defaultValue = "30s", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "Fail when the receiver takes nothing, or does not answer, for this long. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration stallTimeout;

    @Option(names = "--stall-timeout-ms", hidden = true, paramLabel = "MS")
    void oldStallTimeoutMs(String value) {
        throw OldSpellings.renamed(spec, "--stall-timeout-ms", "--stall-timeout " + OldSpellings.millis(value));
    }

    @Option(names = "--connect-timeout", defaultValue = "10s", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "How long the connect may take. Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Option(names = "--connect-timeout-ms", hidden = true, paramLabel = "MS")
    void oldConnectTimeoutMs(String value) {
        throw OldSpellings.renamed(spec, "--connect-timeout-ms", "--connect-timeout " + OldSpellings.millis(value));
    }

    /** With the process's standard streams. */
    public FileSendCommand() {
        this(System.out, System.err);
    }

    /**
     * With the given streams, so tests can run the command in-process.
     *
     * @param out standard output: one line per file sent
     * @param err standard error: failures and the progress bar
     */
    public FileSendCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        InetSocketAddress target;
        SenderConfig config;
        try {
            target = CommandSupport.resolve(arguments.get(arguments.size() - 1));
            config = SenderConfig.defaults().withStallTimeoutNs(stallTimeout.toNanos())
                    .withConnectTimeoutNs(connectTimeout.toNanos());
        } catch (IllegalArgumentException e) {
            err.println("file-send: " + e.getMessage());
            return 2;
        }
        boolean showProgress = progress != null ? progress : System.console() != null;
        EventLoop loop = EventLoop.start(LoopConfig.defaults().withName("file-send"));
        ProgressBar[] bar = new ProgressBar[1];
        int failures = 0;
        try (FileSender sender = new FileSender(loop, config, r -> print(r, bar[0]))) {
            if (showProgress) {
                loop.execute(() -> {
                    bar[0] = new ProgressBar(err, loop, sender::active);
                    bar[0].start();
                });
            }
            List<CompletableFuture<TransferResult>> results = new ArrayList<>();
            for (String file : arguments.subList(0, arguments.size() - 1)) {
                try {
                    results.add(sender.send(Path.of(file), target));
                } catch (IOException | IllegalArgumentException e) {
                    err.println("file-send: cannot send " + file + ": " + e.getMessage());
                    failures++;
                }
            }
            for (CompletableFuture<TransferResult> r : results) {
                if (!r.join().ok()) {
                    failures++;
                }
            }
            loop.execute(() -> {
                if (bar[0] != null) {
                    bar[0].stop();
                }
            });
        } finally {
            loop.close();
        }
        return failures == 0 ? 0 : 1;
    }

    /** Loop thread. */
    private void print(TransferResult r, ProgressBar bar) {
        if (bar != null) {
            bar.clear();
        }
        if (r.ok()) {
            out.println("sent " + r.describe());
        } else {
            err.println("file-send: " + r.describe());
        }
    }
}
