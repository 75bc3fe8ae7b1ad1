package dev.sluice.samples.file;

import dev.sluice.samples.Sizes;
import dev.sluice.samples.support.CommandSupport;
import dev.sluice.samples.Durations;
import dev.sluice.samples.OldSpellings;
import picocli.CommandLine.Command;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code file-recv --dir DIR}: receives files from {@code file-send} until Ctrl-C (or {@code --count}
 * transfers), verifying each by size and CRC32C before it appears in the directory.
 *
 * <p>Thread: the calling thread waits; transfers run on the receiver's loop thread, which also prints
 * results and the progress bar.
 */
@Command(name = "file-recv", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Receives files from file-send into --dir, several at once. A file appears only when "
                + "complete and verified (size and CRC32C); names with paths are refused, and existing files "
                + "are kept unless --force.")
public final class FileRecvCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where files land (must exist).")
    Path dir;

    @Option(names = "--force", description = "Replace existing files of the same name.")
    boolean force;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (0.0.0.0 for every interface). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "7200",
            description = "Port to listen on; 0 picks a free one (printed). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--idle-timeout", defaultValue = "30s", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "Fail a transfer that sends nothing for this long. Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    @Option(names = "--idle-timeout-ms", hidden = true, paramLabel = "MS")
    void oldIdleTimeoutMs(String value) {
        throw OldSpellings.renamed(spec, "--idle-timeout-ms", "--idle-timeout " + OldSpellings.millis(value));
    }

    @Option(names = "--max-size", defaultValue = "" + Long.MAX_VALUE, paramLabel = "BYTES", converter = Sizes.LongConverter.class,
            description = "Refuse larger files. Default: no limit.")
    long maxSize;

    @Option(names = "--count", defaultValue = "0", paramLabel = "N",
            description = "Exit after N transfers (exit status 1 if any failed); 0 runs until Ctrl-C.")
    int count;

    @Option(names = "--progress", negatable = true, description = "Show a progress bar on standard error. "
            + "Default: when the console is a terminal.")
    Boolean progress;

    /** With the process's standard streams. */
    public FileRecvCommand() {
        this(System.out, System.err);
    }

    /**
     * With the given streams, so tests can run the command in-process.
     *
     * @param out standard output: one line per file received
     * @param err standard error: failures and the progress bar
     */
    public FileRecvCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        ReceiverConfig config;
        try {
            config = ReceiverConfig.into(dir).withBindAddress(new InetSocketAddress(host, port))
                    .withOverwrite(force).withIdleTimeoutNs(idleTimeout.toNanos())
                    .withMaxFileBytes(maxSize);
            if (count < 0) {
                throw new IllegalArgumentException("--count must be >= 0");
            }
        } catch (IllegalArgumentException e) {
            err.println("file-recv: " + e.getMessage());
            return 2;
        }
        CountDownLatch finished = new CountDownLatch(count > 0 ? count : 1);
        ProgressBar[] bar = new ProgressBar[1];
        FileReceiver receiver;
        try {
            receiver = FileReceiver.start(config, r -> {
                print(r, bar[0]);
                if (count > 0) {
                    finished.countDown();
                }
            });
        } catch (IOException e) {
            err.println("file-recv: " + e.getMessage());
            return 1;
        }
        if (progress != null ? progress : System.console() != null) {
            receiver.loop().execute(() -> {
                bar[0] = new ProgressBar(err, receiver.loop(), receiver::active);
                bar[0].start();
            });
        }
        out.println("file-recv: receiving into " + receiver.directory + " on " + receiver.address().getHostString()
                + ":" + receiver.address().getPort() + (force ? ", replacing existing files" : "")
                + (count > 0 ? ", for " + count + " transfer(s)" : " (Ctrl-C stops)"));
        CommandSupport.runUntilStopped(finished, () -> {
            receiver.loop().execute(() -> {
                if (bar[0] != null) {
                    bar[0].stop();
                }
            });
            receiver.close();
        });
        out.println("file-recv: " + receiver.completedCount() + " received, " + receiver.failedCount() + " failed");
        return count > 0 && receiver.failedCount() > 0 ? 1 : 0;
    }

    /** Loop thread. */
    private void print(TransferResult r, ProgressBar bar) {
        if (bar != null) {
            bar.clear();
        }
        if (r.ok()) {
            out.println("received " + r.describe());
        } else {
            err.println("file-recv: " + r.describe());
        }
    }
}
