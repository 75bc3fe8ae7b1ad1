package dev.sluice.samples.support;

import dev.sluice.TlsConfig;
import dev.sluice.samples.CliException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --tls} with {@code --cacert FILE} and {@code -k/--insecure} ({@link TlsTrustOptions}): the TLS
 * options of the commands that connect to a {@code HOST:PORT} ({@code client}, {@code load}), as a
 * picocli mixin. Misuse is a usage error (exit status 2).
 *
 * <p>Thread: the command's.
 */
public final class TlsClientOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--tls", description = "Connect over TLS, verifying the server's certificate and name "
            + "against the system trust store, or --cacert.")
    boolean tls;

    @Mixin
    TlsTrustOptions trust;

    /**
     * Thread: the command's.
     *
     * @param host the server's host name as the user typed it: sent as SNI, checked against the certificate
     * @return the client configuration, or {@code null} (plain TCP) without {@code --tls}
     * @throws ParameterException when {@code --cacert} or {@code --insecure} come without {@code --tls}, or together
     * @throws CliException       when the CA file cannot be read or parsed
     */
    public TlsConfig client(String host) {
        if (!tls) {
            if (trust.given()) {
                throw new ParameterException(mixee.commandLine(), "--cacert and --insecure need --tls");
            }
            return null;
        }
        try {
            return trust.client(host);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }
}
