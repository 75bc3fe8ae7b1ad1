package dev.sluice.samples.cli;

import dev.sluice.samples.Durations;
import dev.sluice.samples.CliException;
import dev.sluice.samples.HostPort;
import dev.sluice.samples.Io;
import dev.sluice.samples.client.NcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code client HOST PORT}: an interactive client like {@code nc}.
 *
 * <p>Thread: the main thread waits; the loop and a standard-input reader do the work.
 */
@Command(name = "client", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Interactive client like nc.",
        description = "Standard input goes to the server, replies print as they arrive. End of input (Ctrl-D) "
                + "half-closes the connection; the server closing it ends the client (exit status 0, or 1 "
                + "after a reset or error).")
final class ClientCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "HOST", description = "Server host name or address.")
    String host;

    @Parameters(index = "1", paramLabel = "PORT", description = "Server port.")
    int port;

    @Option(names = "--connect-timeout", defaultValue = "10s", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "How long the connect may take. Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    ClientCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        InetSocketAddress address = new HostPort(host, checkPort(port)).resolve();
        return NcClient.run(address, connectTimeout, io.in(), io.out(), io.err());
    }

    private static int checkPort(int port) {
        if (port <= 0 || port > 65535) {
            throw new CliException("port must be 1..65535, got " + port);
        }
        return port;
    }
}
