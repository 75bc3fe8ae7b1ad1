package dev.sluice.samples.cli;

import dev.sluice.TlsConfig;
import dev.sluice.samples.Durations;
import dev.sluice.samples.HostPort;
import dev.sluice.samples.Io;
import dev.sluice.samples.client.NcClient;
import dev.sluice.samples.support.TlsClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code client HOST:PORT} (or {@code client HOST PORT}, as {@code nc} takes it): an interactive client
 * like {@code nc}.
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

    @Parameters(arity = "1..2", paramLabel = "HOST:PORT", hideParamSyntax = true,
            description = "The server, e.g. localhost:7000 or [::1]:7000; 'HOST PORT' as two words works too, as with nc.")
    List<String> target;

    @Option(names = "--connect-timeout", defaultValue = "10s", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "How long the connect may take. Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Spec
    CommandSpec spec;

    /** --tls (like openssl s_client), --cacert, -k. */
    @Mixin
    TlsClientOptions tls;

    ClientCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        HostPort hp = hostPort();
        TlsConfig config = tls.client(hp.host());
        InetSocketAddress address = hp.resolve();
        return NcClient.run(address, connectTimeout, config, io.in(), io.out(), io.err());
    }

    private HostPort hostPort() {
        try {
            if (target.size() == 1) {
                return HostPort.parseTarget(target.get(0));
            }
            String host = target.get(0);
            return HostPort.parseTarget((host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + target.get(1));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
