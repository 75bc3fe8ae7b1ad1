package dev.sluice.samples.cli;

import dev.sluice.samples.CliException;
import dev.sluice.samples.Io;
import dev.sluice.samples.echo.EchoServer;
import dev.sluice.samples.echo.ServerConfig;
import dev.sluice.samples.support.CommandSupport;
import dev.sluice.samples.support.StatsOption;
import dev.sluice.samples.support.StatsPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code echo-server}: the engine's echo server, until Ctrl-C (or, run in-process by a test, until
 * the calling thread is interrupted); {@code --stats-interval} prints the loop's counters meanwhile.
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

    @Mixin
    StatsOption stats;

    EchoServerCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config = options.toConfig();
        EchoServer server;
        try {
            server = EchoServer.start(config, io.err());
        } catch (IOException e) {
            throw Servers.cannotListen(config, e);
        }
        io.out().printf("echo-server listening on %s:%d (mode %s, 1 loop thread)%n",
                server.address().getHostString(), server.address().getPort(), config.mode().name().toLowerCase());
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
