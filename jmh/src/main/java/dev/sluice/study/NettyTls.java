package dev.sluice.study;

import dev.sluice.SslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * The Netty peers' TLS: an {@link SslContext} with {@link SslProvider#JDK}, so that Netty and Sluice
 * run the same {@code SSLEngine} and the comparison is of the engines around it, not of two TLS
 * libraries. Netty reads the same PEM certificate and PKCS#8 key the Sluice server loads.
 *
 * <p>Both servers use their own cipher-suite order ({@code SSLParameters.getUseCipherSuitesOrder()} is
 * true for both), and Netty's default list puts {@code TLS_AES_128_GCM_SHA256} before
 * {@code TLS_AES_256_GCM_SHA384} where the JDK's puts it after: left alone, the same client would get
 * AES-128 from Netty and AES-256 from Sluice. So the context is given exactly the protocols and suites,
 * in order, that the JDK enables on the Sluice server's engine, built from the same files by
 * {@link SslContexts#serverFromPem}.
 *
 * <p>Thread: any.
 */
final class NettyTls {
    private NettyTls() {
    }

    /**
     * Thread: any.
     *
     * @param certPem PEM certificate chain
     * @param keyPem  PEM PKCS#8 private key
     * @return a server context for {@code SslHandler}s, one per channel
     * @throws IOException when a file cannot be read or parsed
     */
    static SslContext server(Path certPem, Path keyPem) throws IOException {
        SSLEngine sluiceDefaults;
        try {
            sluiceDefaults = SslContexts.serverFromPem(certPem, keyPem).createSSLEngine();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load " + certPem + " and " + keyPem + ": " + e.getMessage(), e);
        }
        sluiceDefaults.setUseClientMode(false);
        return SslContextBuilder.forServer(certPem.toFile(), keyPem.toFile())
                .sslProvider(SslProvider.JDK)
                .protocols(sluiceDefaults.getEnabledProtocols())
                .ciphers(List.of(sluiceDefaults.getEnabledCipherSuites()))
                .build();
    }
}
