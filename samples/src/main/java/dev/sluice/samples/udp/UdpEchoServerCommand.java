package dev.sluice.samples.udp;

import dev.sluice.samples.Sizes;
import dev.sluice.DatagramConfig;
import dev.sluice.samples.support.CommandSupport;
import dev.sluice.samples.support.StatsOption;
import dev.sluice.samples.support.StatsPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

/**
 * {@code udp-echo-server}: runs a {@link UdpEchoServer} until Ctrl-C, then prints its counts.
 *
 * <p>Thread: the calling thread waits; echoing runs on the loop thread.
 */
@Command(name = "udp-echo-server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "UDP echo server on the event loop: every datagram goes back to its sender. "
                + "Oversize datagrams are dropped and counted. Try it with: udp-client localhost:7300.")
public final class UdpEchoServerCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to bind (0.0.0.0 for every interface). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "7300",
            description = "Port to bind; 0 picks a free one (printed). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--max-datagram", defaultValue = "65507", paramLabel = "BYTES", converter = Sizes.IntConverter.class,
            description = "Largest datagram echoed; larger ones are dropped and counted. Default: ${DEFAULT-VALUE}.")
    int maxDatagram;

    @Mixin
    StatsOption stats;

    /** With the process's standard streams. */
    public UdpEchoServerCommand() {
        this(System.out, System.err);
    }

    /**
     * With the given streams, so tests can run the command in-process.
     *
     * @param out standard output
     * @param err standard error
     */
    public UdpEchoServerCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        DatagramConfig config;
        try {
            config = DatagramConfig.defaults().withMaxDatagramBytes(maxDatagram);
        } catch (IllegalArgumentException e) {
            err.println("udp-echo-server: " + e.getMessage());
            return 2;
        }
        UdpEchoServer server;
        try {
            server = UdpEchoServer.start(new InetSocketAddress(host, port), config);
        } catch (IOException e) {
            err.println("udp-echo-server: cannot bind " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
        out.println("udp-echo-server: echoing on " + server.address().getHostString() + ":"
                + server.address().getPort() + " (Ctrl-C stops)");
        StatsPrinter printer = stats.start("udp-echo-server", server.loop(), out);
        CommandSupport.runUntilStopped(() -> {
            server.close();
            printer.close();
        });
        out.println("udp-echo-server: " + server.receivedCount() + " received, " + server.echoedCount()
                + " echoed, " + server.droppedCount() + " dropped");
        return 0;
    }
}
