package dev.sluice;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TLS for a connection, with the JDK's {@link javax.net.ssl.SSLEngine}: set it with
 * {@link ConnectionConfig#withTls(TlsConfig)} (for a listener, on its
 * {@link ListenerConfig#connectionConfig()}). An accepted connection is the TLS server, a connection
 * made with {@link EventLoop#connect} the client. The handler sees plaintext only: {@code onData},
 * writes, watermarks and pending output count plaintext bytes, and {@code onOpen} is called once the
 * handshake has completed. {@link SslContexts} builds contexts from PEM files.
 *
 * <p>Thread: any (immutable).
 *
 * @param context              where keys, trust and sessions come from
 * @param protocols            the protocols to enable ({@code "TLSv1.3"}, {@code "TLSv1.2"}); empty for
 *                             the context's defaults
 * @param cipherSuites         the cipher suites to enable; empty for the context's defaults
 * @param clientAuth           whether a server asks for a client certificate; clients ignore it
 * @param serverName           the host name a client sends as SNI and, with {@code verifyHostname},
 *                             checks the server's certificate against; {@code null} for none. Servers
 *                             ignore it
 * @param verifyHostname       a client checks that the server's certificate matches {@code serverName}
 *                             (endpoint identification {@code "HTTPS"}, RFC 2818)
 * @param applicationProtocols ALPN protocols, in order of preference ({@code "h2"}, {@code "http/1.1"});
 *                             empty for no ALPN. See {@link Connection#tlsApplicationProtocol()}
 * @param handshakeTimeoutNs   a handshake that has not completed this long after it started closes the
 *                             connection with {@link CloseReason#TLS_HANDSHAKE_TIMEOUT}; 0 for none.
 *                             Default 10 s: a handshake is two or three round trips, and a peer that
 *                             connects and stalls mid-handshake holds a descriptor no longer
 */
public record TlsConfig(
        SSLContext context,
        List<String> protocols,
        List<String> cipherSuites,
        ClientAuth clientAuth,
        String serverName,
        boolean verifyHostname,
        List<String> applicationProtocols,
        long handshakeTimeoutNs) {

    /** The default handshake timeout, 10 s. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_NS = 10_000_000_000L;

    /** Whether a TLS server asks for a certificate from its clients. */
    public enum ClientAuth {
        /** It does not ask. */
        NONE,
        /** It asks; a client without one is still accepted. */
        WANT,
        /** It asks, and a client without a trusted certificate fails the handshake. */
        NEED
    }

    /**
     * Validates and copies every field.
     *
     * @param context see the record description
     * @param protocols see the record description
     * @param cipherSuites see the record description
     * @param clientAuth see the record description
     * @param serverName see the record description
     * @param verifyHostname see the record description
     * @param applicationProtocols see the record description
     * @param handshakeTimeoutNs see the record description
     * @throws IllegalArgumentException naming the value out of range
     */
    public TlsConfig {
        if (context == null) {
            throw new IllegalArgumentException("an SSLContext is required");
        }
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
        cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
        applicationProtocols = applicationProtocols == null ? List.of() : List.copyOf(applicationProtocols);
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        if (verifyHostname && (serverName == null || serverName.isEmpty())) {
            throw new IllegalArgumentException("hostname verification needs a server name");
        }
        if (handshakeTimeoutNs < 0) {
            throw new IllegalArgumentException("handshake timeout must be >= 0 (0 = none): " + handshakeTimeoutNs);
        }
    }

    /**
     * Thread: any.
     * A server's configuration: the context's protocols and suites, no client certificate, no ALPN,
     * a 10 s handshake timeout.
     *
     * @param context holds the server's key and certificate chain
     * @return the configuration
     */
    public static TlsConfig server(SSLContext context) {
        return new TlsConfig(context, List.of(), List.of(), ClientAuth.NONE, null, false, List.of(),
                DEFAULT_HANDSHAKE_TIMEOUT_NS);
    }

    /**
     * Thread: any.
     * A client's configuration: sends {@code serverName} as SNI and verifies the server's certificate
     * against it, a 10 s handshake timeout.
     *
     * @param context    holds what the client trusts
     * @param serverName the host name the server must prove it is
     * @return the configuration
     */
    public static TlsConfig client(SSLContext context, String serverName) {
        Objects.requireNonNull(serverName, "serverName");
        return new TlsConfig(context, List.of(), List.of(), ClientAuth.NONE, serverName, true, List.of(),
                DEFAULT_HANDSHAKE_TIMEOUT_NS);
    }

    /**
     * Thread: any.
     *
     * @param names the protocols to enable, none for the context's defaults
     * @return a copy with these protocols
     */
    public TlsConfig withProtocols(String... names) {
        return new TlsConfig(context, List.of(names), cipherSuites, clientAuth, serverName, verifyHostname,
                applicationProtocols, handshakeTimeoutNs);
    }

    /**
     * Thread: any.
     *
     * @param names the cipher suites to enable, none for the context's defaults
     * @return a copy with these suites
     */
    public TlsConfig withCipherSuites(String... names) {
        return new TlsConfig(context, protocols, List.of(names), clientAuth, serverName, verifyHostname,
                applicationProtocols, handshakeTimeoutNs);
    }

    /**
     * Thread: any.
     *
     * @param auth whether a server asks for client certificates
     * @return a copy with this setting
     */
    public TlsConfig withClientAuth(ClientAuth auth) {
        return new TlsConfig(context, protocols, cipherSuites, auth, serverName, verifyHostname,
                applicationProtocols, handshakeTimeoutNs);
    }

    /**
     * Thread: any.
     *
     * @param name           the SNI host name a client sends, or {@code null} for none
     * @param verifyHostname whether the client checks the server's certificate against it
     * @return a copy with this server name
     */
    public TlsConfig withServerName(String name, boolean verifyHostname) {
        return new TlsConfig(context, protocols, cipherSuites, clientAuth, name, verifyHostname,
                applicationProtocols, handshakeTimeoutNs);
    }

    /**
     * Thread: any.
     *
     * @param names ALPN protocols in order of preference, none for no ALPN
     * @return a copy with these protocols
     */
    public TlsConfig withApplicationProtocols(String... names) {
        return new TlsConfig(context, protocols, cipherSuites, clientAuth, serverName, verifyHostname,
                List.of(names), handshakeTimeoutNs);
    }

    /**
     * Thread: any.
     *
     * @param nanos handshake timeout on the loop clock, 0 for none
     * @return a copy with this timeout
     */
    public TlsConfig withHandshakeTimeoutNs(long nanos) {
        return new TlsConfig(context, protocols, cipherSuites, clientAuth, serverName, verifyHostname,
                applicationProtocols, nanos);
    }

    /**
     * Thread: any.
     *
     * @param timeout handshake timeout, {@link Duration#ZERO} for none
     * @return a copy with this timeout
     */
    public TlsConfig withHandshakeTimeout(Duration timeout) {
        return withHandshakeTimeoutNs(ConnectionConfig.nanos(timeout, "handshake timeout"));
    }
}
