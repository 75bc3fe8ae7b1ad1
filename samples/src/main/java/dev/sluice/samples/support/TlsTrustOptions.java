package dev.sluice.samples.support;

import dev.sluice.TlsConfig;
import dev.sluice.samples.CliException;
import dev.sluice.samples.TlsFiles;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;

/**
 * {@code --cacert FILE} and {@code -k/--insecure}: what a TLS client trusts, as a picocli mixin, so that
 * every command that connects over TLS ({@code client}, {@code load}, {@code fetch}, {@code http-bench})
 * spells, describes and checks them alike. Commands that choose TLS with a flag take
 * {@link TlsClientOptions}, which holds this one.
 *
 * <p>Thread: the command's.
 */
public final class TlsTrustOptions {
    @Option(names = "--cacert", paramLabel = "FILE",
            description = "TLS: trust the certificates in this PEM file instead of the system trust store.")
    Path caCert;

    @Option(names = {"-k", "--insecure"},
            description = "TLS: accept any certificate for any name (encrypted, NOT authenticated).")
    boolean insecure;

    /**
     * Thread: the command's.
     *
     * @return whether {@code --cacert} or {@code --insecure} was given
     */
    public boolean given() {
        return caCert != null || insecure;
    }

    /**
     * Thread: the command's.
     *
     * @return whether {@code --insecure} was given
     */
    public boolean insecure() {
        return insecure;
    }

    /**
     * Thread: the command's. The client configuration for one server: SNI and, unless {@code --insecure},
     * its certificate checked against {@code host}.
     *
     * @param host the server's host name as the user typed it
     * @return the configuration
     * @throws IllegalArgumentException when both options are given (a usage mistake)
     * @throws CliException             when the CA file cannot be read or parsed
     */
    public TlsConfig client(String host) {
        check();
        return TlsFiles.client(host, caCert, insecure);
    }

    /**
     * Thread: the command's. What to trust, for a client that makes a configuration per host itself.
     *
     * @return the context: trust-all with {@code --insecure}, the CA file's, or the system's
     * @throws IllegalArgumentException when both options are given (a usage mistake)
     * @throws CliException             when the CA file cannot be read or parsed
     */
    public SSLContext context() {
        check();
        return TlsFiles.trust(caCert, insecure);
    }

    private void check() {
        if (caCert != null && insecure) {
            throw new IllegalArgumentException("--cacert and --insecure contradict each other: choose one");
        }
    }
}
