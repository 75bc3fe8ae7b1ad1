package dev.sluice.samples.cli;

import dev.sluice.samples.Sizes;
import dev.sluice.samples.Durations;
import dev.sluice.samples.echo.EchoMode;
import dev.sluice.samples.echo.ServerConfig;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The options both echo servers take.
 *
 * <p>Thread: the command's.
 */
final class ServerOptions {
    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (0.0.0.0 for every interface). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "7000",
            description = "Port to listen on; 0 picks a free one (printed). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = {"-m", "--mode"}, defaultValue = "raw", paramLabel = "raw|line|upper",
            description = "raw: every byte back as it came. line: each \\n-terminated line back; "
                    + "upper: the same in upper case. In line modes 'exit' or 'quit' closes the connection "
                    + "and a line over --max-line closes it with an ERR line. Default: ${DEFAULT-VALUE}.")
    EchoMode mode;

    @Option(names = "--max-line", defaultValue = "8k", paramLabel = "BYTES", converter = Sizes.IntConverter.class,
            description = "Longest line accepted in line modes. Default: ${DEFAULT-VALUE}.")
    int maxLine;

    @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "Close a connection idle this long (e.g. 30s, 5m); 0 for never. Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    @Option(names = "--max-connections", defaultValue = "10000", paramLabel = "N",
            description = "Connections served at once; more are refused. Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = {"-v", "--verbose"}, description = "Log every connection's open and close.")
    boolean verbose;

    ServerConfig toConfig() {
        try {
            return new ServerConfig(host, port, mode, maxLine, idleTimeout, maxConnections, verbose);
        } catch (IllegalArgumentException e) {
            throw new dev.sluice.samples.CliException(e.getMessage(), e);
        }
    }
}
