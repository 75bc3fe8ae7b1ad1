package dev.sluice.study;

import dev.sluice.SslContexts;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.util.List;

/** The TLS client the peers' tests use: it trusts exactly the run's certificate and checks it names localhost (RFC 2818). */
final class VerifyingTlsClient {
    private VerifyingTlsClient() {
    }

    /**
     * Thread: any. Connects to 127.0.0.1 and completes the handshake; reads time out after 20 s, so a
     * server that never answers fails the test instead of hanging it.
     *
     * @param cert the run's certificate
     * @param port the server's port
     * @return the connected socket
     * @throws Exception when the connect or the handshake fails
     */
    static SSLSocket connect(SelfSignedCert cert, int port) throws Exception {
        SSLSocket s = (SSLSocket) SslContexts.clientTrusting(cert.certPem).getSocketFactory()
                .createSocket("127.0.0.1", port);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setServerNames(List.of(new SNIHostName("localhost")));
        s.setSSLParameters(p);
        s.setSoTimeout(20_000);
        s.startHandshake();
        return s;
    }
}
