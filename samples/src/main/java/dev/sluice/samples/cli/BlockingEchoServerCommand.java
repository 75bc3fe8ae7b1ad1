package dev.sluice.samples.cli;

import dev.sluice.samples.CliException;
import dev.sluice.samples.Io;
import dev.sluice.samples.echo.BlockingEchoServer;
import dev.sluice.samples.echo.ServerConfig;
import dev.sluice.samples.echo.ThreadKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code blocking-echo-server}: the same protocol, one thread per connection, until Ctrl-C.
 *
 * <p>Thread: the main thread; the server runs on its acceptor and connection threads.
 */
@Command(name = "blocking-echo-server", mixinStandardHelpOptions = true, sortOptions = false,
        header = "The same echo server on blocking sockets, one thread per connection.",
        description = "The event-loop server's twin, for comparison: same modes and options as echo-server, "
                + "plus --threads. Ctrl-C closes every connection and exits.")
final class BlockingEchoServerCommand implements Callable<Integer> {
    private final Io io;

    @Mixin
    ServerOptions options;

    @Option(names = "--threads", defaultValue = "platform", paramLabel = "platform|virtual",
            description = "Platform (OS) threads, or virtual threads (JDK 21+). Default: ${DEFAULT-VALUE}.")
    ThreadKind threads;

    BlockingEchoServerCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config = options.toConfig();
        BlockingEchoServer server;
        try {
            server = BlockingEchoServer.start(config, threads, io.err());
        } catch (UnsupportedOperationException e) {
            throw new CliException(e.getMessage(), e);
        } catch (IOException e) {
            throw EchoServerCommand.Servers.cannotListen(config, e);
        }
        io.out().printf("blocking-echo-server listening on %s:%d (mode %s, one %s thread per connection)%n",
                server.address().getHostString(), server.address().getPort(), config.mode().name().toLowerCase(),
                threads.name().toLowerCase());
        io.out().flush();
        EchoServerCommand.Servers.onCtrlC("blocking-echo-server", io, server::close);
        server.awaitTermination(Duration.ofNanos(Long.MAX_VALUE));
        return 0;
    }
}
