package dev.sluice.samples.cli;

import dev.sluice.samples.CliException;
import dev.sluice.samples.Io;
import dev.sluice.GroupListenMode;
import dev.sluice.samples.echo.EchoGroupServer;
import dev.sluice.samples.echo.EchoServer;
import dev.sluice.samples.echo.ServerConfig;
import dev.sluice.samples.support.CommandSupport;
import dev.sluice.samples.support.StatsOption;
import dev.sluice.samples.support.StatsPrinter;
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
 * {@code echo-server}: the engine's echo server, until Ctrl-C (or, run in-process by a test, until
 * the calling thread is interrupted); {@code --stats-interval} prints the loop's counters meanwhile.
 *
 * <p>Thread: the main thread; the server runs on its loop thread.
 */
@Command(name = "echo-server", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Echo server on the Sluice event loop: one thread serves every connection (or N, with --loops).",
        description = "Echoes raw bytes, lines, or lines in upper case. Ctrl-C stops accepting, lets each "
                + "connection flush what it owes, and exits.")
final class EchoServerCommand implements Callable<Integer> {
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final Io io;

    @Mixin
    ServerOptions options;

    @Mixin
    StatsOption stats;

    @Option(names = "--loops", paramLabel = "N",
            description = "Serve on a group of N event loops, one thread each (N = cores is the usual choice). "
                    + "Without it: one plain loop.")
    Integer loops;

    @Option(names = "--listen-mode", defaultValue = "hand-off", paramLabel = "hand-off|reuse-port",
            description = "With --loops: hand-off (one acceptor gives each connection to the loop with the fewest) "
                    + "or reuse-port (a socket per loop with SO_REUSEPORT, the kernel spreads by hash; "
                    + "--max-connections is then per loop). Default: ${DEFAULT-VALUE}.")
    String listenMode;

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
        if (loops != null) {
            return callGroup(config, tls);
        }
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
        StatsPrinter printer = stats.start("echo-server", server.loop(), io.out());
        CommandSupport.runUntilStopped(() -> {
            io.err().println("echo-server: shutting down");
            server.shutdownGracefully(SHUTDOWN_GRACE);
            try {
                server.awaitTermination(SHUTDOWN_GRACE.multipliedBy(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                printer.close();
            }
            io.err().println("echo-server: stopped");
        });
        return 0;
    }

    private Integer callGroup(ServerConfig config, TlsConfig tls) throws Exception {
        if (loops < 1 || loops > 1024) {
            throw new CliException("--loops must be 1..1024, got " + loops);
        }
        GroupListenMode mode = switch (listenMode) {
            case "hand-off" -> GroupListenMode.HAND_OFF;
            case "reuse-port" -> GroupListenMode.REUSE_PORT;
            default -> throw new CliException("--listen-mode must be hand-off or reuse-port, got " + listenMode);
        };
        EchoGroupServer server;
        try {
            server = EchoGroupServer.start(loops, mode, config, io.err(), tls);
        } catch (IOException e) {
            throw Servers.cannotListen(config, e);
        }
        io.out().printf("echo-server listening on %s:%d (mode %s, %d loop threads, %s%s)%n",
                server.address().getHostString(), server.address().getPort(), config.mode().name().toLowerCase(),
                loops, server.listener().mode() == GroupListenMode.HAND_OFF ? "hand-off" : "reuse-port",
                tls == null ? "" : ", TLS");
        server.listener().fallbackReason().ifPresent(why -> io.err().println("echo-server: " + why));
        io.out().flush();
        StatsPrinter printer = stats.start("echo-server", server.group()::stats, io.out());
        Servers.onCtrlC("echo-server", io, () -> {
            server.shutdownGracefully(SHUTDOWN_GRACE);
            server.awaitTermination(SHUTDOWN_GRACE.multipliedBy(2));
        });
        try {
            server.awaitTermination(Duration.ofNanos(Long.MAX_VALUE));
        } finally {
            printer.close();
        }
        return 0;
    }

    /** Helpers both server commands share. */
    static final class Servers {
        private Servers() {
        }

        static CliException cannotListen(ServerConfig config, IOException e) {
            return new CliException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }

        /**
         * Runs {@code stop} when the JVM is asked to exit (Ctrl-C, SIGTERM), and says so: for the
         * blocking server, whose threads end by themselves once it is closed.
         */
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
