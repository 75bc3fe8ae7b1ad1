package dev.sluice.samples.cli;

import dev.sluice.samples.CliException;
import dev.sluice.samples.Io;
import dev.sluice.samples.echo.EchoServer;
import dev.sluice.samples.echo.ServerConfig;
import picocli.CommandLine.Command;
import dev.sluice.TlsConfig;
import dev.sluice.samples.TlsFiles;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code echo-server}: the engine's echo server, until Ctrl-C.
 *
 * <p>Thread: the main thread; the server runs on its loop thread.
 */
@Command(name = "echo-server", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Echo server on the Sluice event loop: one thread serves every connection.",
        description = "Echoes raw bytes, lines, or lines in upper case. Ctrl-C stops accepting, lets each "
                + "connection flush what it owes, and exits.")
final class EchoServerCommand implements Callable<Integer> {
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final Io io;

    @Mixin
    ServerOptions options;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve over TLS: PEM certificate chain (server certificate first). Needs --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "Serve over TLS: PEM private key, PKCS#8 (BEGIN PRIVATE KEY), RSA or EC. Needs --tls-cert.")
    Path tlsKey;

    EchoServerCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config = options.toConfig();
        TlsConfig tls = TlsFiles.server(tlsCert, tlsKey);
        EchoServer server;
        try {
            server = EchoServer.start(config, io.err(), tls);
        } catch (IOException e) {
            throw Servers.cannotListen(config, e);
        }
        io.out().printf("echo-server listening on %s:%d (mode %s, 1 loop thread%s)%n",
                server.address().getHostString(), server.address().getPort(), config.mode().name().toLowerCase(),
                tls == null ? "" : ", TLS");
        io.out().flush();
        Servers.onCtrlC("echo-server", io, () -> {
            server.shutdownGracefully(SHUTDOWN_GRACE);
            server.awaitTermination(SHUTDOWN_GRACE.multipliedBy(2));
        });
        server.awaitTermination(Duration.ofNanos(Long.MAX_VALUE));
        return 0;
    }

    /** Helpers both server commands share. */
    static final class Servers {
        private Servers() {
        }

        static CliException cannotListen(ServerConfig config, IOException e) {
            return new CliException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }

        /** Runs {@code stop} when the JVM is asked to exit (Ctrl-C, SIGTERM), and says so. */
        static void onCtrlC(String name, Io io, Stopper stop) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                io.err().println(name + ": shutting down");
                try {
                    stop.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                io.err().println(name + ": stopped");
            }, name + "-shutdown"));
        }

        @FunctionalInterface
        interface Stopper {
            void stop() throws InterruptedException;
        }
    }
}
