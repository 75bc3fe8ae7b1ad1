package dev.sluice.samples.cli;

import dev.sluice.TlsConfig;
import dev.sluice.samples.TlsFiles;
import java.nio.file.Path;
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

    @Option(names = "--tls", description = "Connect over TLS (like openssl s_client), verifying the server's "
            + "certificate and name against the system trust store, or --cacert.")
    boolean tls;

    @Option(names = "--cacert", paramLabel = "FILE", description = "With --tls: trust the certificates in this PEM file.")
    Path caCert;

    @Option(names = {"-k", "--insecure"}, description = "With --tls: accept any certificate for any name "
            + "(encrypted, NOT authenticated).")
    boolean insecure;

    ClientCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        if (!tls && (caCert != null || insecure)) {
            throw new CliException("--cacert and --insecure need --tls");
        }
        if (caCert != null && insecure) {
            throw new CliException("--cacert and --insecure contradict each other: choose one");
        }
        TlsConfig config = tls ? TlsFiles.client(host, caCert, insecure) : null;
        InetSocketAddress address = new HostPort(host, checkPort(port)).resolve();
        return NcClient.run(address, connectTimeout, config, io.in(), io.out(), io.err());
    }

    private static int checkPort(int port) {
        if (port <= 0 || port > 65535) {
            throw new CliException("port must be 1..65535, got " + port);
        }
        return port;
    }
}
