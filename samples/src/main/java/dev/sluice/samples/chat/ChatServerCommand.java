package dev.sluice.samples.chat;

import dev.sluice.samples.Durations;
import dev.sluice.samples.OldSpellings;
import dev.sluice.samples.Sizes;
import dev.sluice.samples.support.CommandSupport;
import dev.sluice.samples.support.StatsOption;
import dev.sluice.samples.support.StatsPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code chat-server}: runs a {@link ChatServer} until Ctrl-C, then prints its counters.
 *
 * <p>Thread: the calling thread waits; the server runs on its loop thread.
 */
@Command(name = "chat-server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Line-based broadcast chat: each line goes to every other client as '<nick> line'. "
                + "Commands: /nick NAME, /who, /quit. A client that stops reading misses messages while its "
                + "queue is full, and is disconnected if it stays that way for --stall-timeout-ms. "
                + "A client quiet for --heartbeat gets a /ping line and is disconnected after "
                + "--heartbeat-misses of them go unanswered (chat-client answers /pong by itself). "
                + "Try it with: chat-client localhost:7100 (or nc localhost 7100).")
public final class ChatServerCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (0.0.0.0 for every interface). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "7100",
            description = "Port to listen on; 0 picks a free one (printed). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--max-line", defaultValue = "1k", paramLabel = "BYTES", converter = Sizes.IntConverter.class,
            description = "Longest line a client may send; longer disconnects it. Default: ${DEFAULT-VALUE}.")
    int maxLine;

    @Option(names = "--max-clients", defaultValue = "1000", paramLabel = "N",
            description = "Clients at once; more are refused. Default: ${DEFAULT-VALUE}.")
    int maxClients;

    @Option(names = "--stall-timeout", defaultValue = "10s", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "Disconnect a client whose output queue stays full, or makes no progress, this long. Default: ${DEFAULT-VALUE}.")
    Duration stallTimeout;

    @Option(names = "--stall-timeout-ms", hidden = true, paramLabel = "MS")
    void oldStallTimeoutMs(String value) {
        throw OldSpellings.renamed(spec, "--stall-timeout-ms", "--stall-timeout " + OldSpellings.millis(value));
    }

    @Mixin
    StatsOption stats;

    @Option(names = "--heartbeat", defaultValue = "10s", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "Send /ping to a client that has sent nothing this long, e.g. 10s, 500ms; 0 for no "
                    + "heartbeats. Default: ${DEFAULT-VALUE}.")
    Duration heartbeat;

    @Option(names = "--heartbeat-misses", defaultValue = "3", paramLabel = "N",
            description = "Disconnect a client after this many pings in a row go unanswered. Default: ${DEFAULT-VALUE}.")
    int heartbeatMisses;

    /** With the process's standard streams. */
    public ChatServerCommand() {
        this(System.out, System.err);
    }

    /**
     * With the given streams, so tests can run the command in-process.
     *
     * @param out standard output
     * @param err standard error
     */
    public ChatServerCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        ChatConfig config;
        try {
            config = ChatConfig.defaults().withBindAddress(new InetSocketAddress(host, port))
                    .withMaxLineBytes(maxLine).withMaxClients(maxClients)
                    .withStallTimeoutNs(stallTimeout.toNanos())
                    .withHeartbeat(heartbeat.toNanos(), heartbeatMisses);
        } catch (IllegalArgumentException e) {
            err.println("chat-server: " + e.getMessage());
            return 2;
        }
        ChatServer server;
        try {
            server = ChatServer.start(config);
        } catch (IOException e) {
            err.println("chat-server: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
        out.println("chat-server: listening on " + server.address().getHostString() + ":"
                + server.address().getPort() + " (Ctrl-C stops)");
        StatsPrinter printer = stats.start("chat-server", server.loop(), out);
        CommandSupport.runUntilStopped(() -> {
            server.close();
            printer.close();
        });
        out.println("chat-server: " + server.stats());
        return 0;
    }
}
