package dev.sluice.samples.udp;

import dev.sluice.samples.Sizes;
import dev.sluice.DatagramConfig;
import dev.sluice.DatagramEndpoint;
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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code udp-client HOST:PORT}: without {@code --count}, sends each line of standard input as one
 * datagram and prints each reply; with {@code --count N}, sends N datagrams through a window and
 * reports sent, received and lost counts and round-trip times (see {@link UdpEchoClient}).
 *
 * <p>Thread: the calling thread reads standard input or waits for the run; the loop thread receives.
 */
@Command(name = "udp-client", mixinStandardHelpOptions = true, sortOptions = false,
        description = "UDP client for udp-echo-server. Without --count: each input line is one datagram, "
                + "replies are printed. With --count N: a windowed run that counts sent, received and lost "
                + "datagrams and measures round trips; exits 1 if any was lost.")
public final class UdpClientCommand implements Callable<Integer> {
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The echo server, e.g. localhost:7300.")
    String server;

    @Option(names = "--count", paramLabel = "N", description = "Send N datagrams and count the echoes.")
    Integer count;

    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES", converter = Sizes.IntConverter.class,
            description = "Datagram size with --count (16..65507). Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--window", defaultValue = "64", paramLabel = "N",
            description = "Datagrams in flight at once with --count. Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(names = "--timeout", defaultValue = "1s", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "A datagram with no reply after this long is lost. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--timeout-ms", hidden = true, paramLabel = "MS")
    void oldTimeoutMs(String value) {
        throw OldSpellings.renamed(spec, "--timeout-ms", "--timeout " + OldSpellings.millis(value));
    }

    /** With the process's standard streams. */
    public UdpClientCommand() {
        this(System.in, System.out, System.err);
    }

    /**
     * With the given streams, so tests can run the command in-process.
     *
     * @param in  standard input (lines to send without {@code --count})
     * @param out standard output
     * @param err standard error
     */
    public UdpClientCommand(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        InetSocketAddress address;
        UdpRunConfig run = null;
        try {
            address = CommandSupport.resolve(server);
            if (count != null) {
                run = new UdpRunConfig(count, size, window, timeout.toNanos());
            } else if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("--timeout must be > 0");
            }
        } catch (IllegalArgumentException e) {
            err.println("udp-client: " + e.getMessage());
            return 2;
        }
        try (EventLoop loop = EventLoop.start(LoopConfig.defaults().withName("udp-client"))) {
            return run != null ? counted(loop, address, run) : interactive(loop, address);
        } catch (IOException e) {
            err.println("udp-client: " + e.getMessage());
            return 1;
        }
    }

    private int counted(EventLoop loop, InetSocketAddress address, UdpRunConfig run) throws IOException {
        UdpReport report;
        try {
            report = UdpEchoClient.run(loop, address, run).join();
        } catch (CompletionException e) {
            err.println("udp-client: " + e.getCause().getMessage());
            return 1;
        }
        out.println("udp-client: " + report);
        if (report.lost() > 0 || report.refused() > 0) {
            err.println("udp-client: " + (report.lost() + report.refused()) + " of " + run.count()
                    + " datagrams got no echo within " + Durations.format(timeout));
            return 1;
        }
        return 0;
    }

    /** One datagram per line; replies printed by the loop thread as they come. */
    private int interactive(EventLoop loop, InetSocketAddress address) throws IOException, InterruptedException {
        Object lock = new Object();
        long[] replies = new long[1];
        InetSocketAddress local = new InetSocketAddress(address.getAddress().isLoopbackAddress()
                ? address.getAddress() : null, 0);
        DatagramEndpoint endpoint = loop.bindDatagram(local, DatagramConfig.defaults(), (ep, data, from) -> {
            out.println(StandardCharsets.UTF_8.decode(data));
            synchronized (lock) {
                replies[0]++;
                lock.notifyAll();
            }
        });
        long sent = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (endpoint.send(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), address)) {
                    sent++;
                }
            }
        }
        // End of input: wait for the replies still on their way, at most the timeout.
        long deadline = System.nanoTime() + timeout.toNanos();
        long got;
        synchronized (lock) {
            while (replies[0] < sent && deadline - System.nanoTime() > 0) {
                TimeUnit.NANOSECONDS.timedWait(lock, deadline - System.nanoTime());
            }
            got = replies[0];
        }
        endpoint.close();
        if (got < sent) {
            err.println("udp-client: " + (sent - got) + " of " + sent + " datagrams got no reply within "
                    + Durations.format(timeout));
            return 1;
        }
        return 0;
    }
}
