package dev.sluice.samples;

import dev.sluice.SslContexts;
import dev.sluice.TlsConfig;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * The samples' TLS options turned into a {@link TlsConfig}: a server's {@code --tls-cert} and
 * {@code --tls-key} PEM files, a client's {@code --cacert} file, the system trust store, or
 * {@code --insecure}. Failures are one line, naming the file and what is wrong with it.
 *
 * <p>Thread: any.
 */
public final class TlsFiles {
    private TlsFiles() {
    }

    /**
     * Thread: any.
     *
     * @param cert PEM certificate chain, or {@code null}
     * @param key  PEM PKCS#8 private key, or {@code null}
     * @return the server configuration, or {@code null} (plain TCP) when neither file is given
     * @throws CliException when only one is given, or a file cannot be read or parsed
     */
    public static TlsConfig server(Path cert, Path key) {
        if (cert == null && key == null) {
            return null;
        }
        if (cert == null || key == null) {
            throw new CliException("--tls-cert and --tls-key go together: give both, or neither for plain TCP");
        }
        try {
            return TlsConfig.server(SslContexts.serverFromPem(cert, key));
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException("cannot load the TLS certificate and key: " + e.getMessage(), e);
        }
    }

    /**
     * Thread: any.
     *
     * @param host     the server's host name: sent as SNI and, unless insecure, checked against its certificate
     * @param caCert   PEM file of trusted certificates, or {@code null} for the system trust store
     * @param insecure trust any certificate and skip the host name check
     * @return the client configuration
     * @throws CliException when the CA file cannot be read or parsed
     */
    public static TlsConfig client(String host, Path caCert, boolean insecure) {
        TlsConfig config = TlsConfig.client(trust(caCert, insecure), host);
        return insecure ? config.withServerName(host, false) : config;
    }

    /**
     * Thread: any.
     * What a client trusts, for callers that make a {@link TlsConfig} per host themselves (fetch).
     *
     * @param caCert   PEM file of trusted certificates, or {@code null} for the system trust store
     * @param insecure trust any certificate ({@code caCert} must then be {@code null})
     * @return the context
     * @throws CliException when the CA file cannot be read or parsed
     */
    public static SSLContext trust(Path caCert, boolean insecure) {
        try {
            if (insecure) {
                return SslContexts.insecureClient();
            }
            return caCert == null ? SslContexts.clientWithSystemTrust() : SslContexts.clientTrusting(caCert);
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException("cannot load the trusted certificates: " + e.getMessage(), e);
        }
    }
}
