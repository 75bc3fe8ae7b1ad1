package dev.sluice.study;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The study's TLS kinds, each in a child JVM as the study starts them ({@code StudyServer sluice-tls|netty-tls
 * CERT KEY}, with the run's {@link SelfSignedCert}): a client that verifies the certificate for
 * {@code localhost} gets back exactly what it sent (more than one TLS record's worth), the server's
 * counter says it echoed that many plaintext bytes, TLS idle clients handshake and hold, and both kinds
 * negotiate the same protocol and suite. Each child exits 0 on {@code quit}, and the certificate's
 * temporary directory is gone after the run.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TlsPeersTest {
    /** 40 KiB: three TLS records each way (a record carries at most 16 KiB of plaintext). */
    private static final int MESSAGE_BYTES = 40 * 1024;
    private static final int IDLE = 20;

    @TempDir
    static Path logs;
    static SelfSignedCert cert;
    /** kind -> "protocol suite" it negotiated, to compare the two kinds. */
    static final Map<String, String> negotiated = new ConcurrentHashMap<>();

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = SelfSignedCert.inTempDir();
    }

    @AfterAll
    static void deleteCertificate() throws Exception {
        Path dir = cert.dir;
        cert.close();
        assertFalse(Files.exists(dir), "the run's certificate directory is deleted: " + dir);
    }

    @Test
    void shouldEchoOverTlsAndHoldIdleTlsClientsWithSluice() throws Exception {
        echoAndIdle("sluice-tls");
    }

    @Test
    void shouldEchoOverTlsAndHoldIdleTlsClientsWithNetty() throws Exception {
        echoAndIdle("netty-tls");
    }

    @Test
    void shouldNegotiateTheSameProtocolAndSuiteOnBothKinds() throws Exception {
        for (String kind : List.of("sluice-tls", "netty-tls")) {
            if (!negotiated.containsKey(kind)) {
                echoAndIdle(kind);
            }
        }
        assertTrue(negotiated.get("sluice-tls").startsWith("TLSv1.3 "), negotiated.toString());
        assertEquals(negotiated.get("sluice-tls"), negotiated.get("netty-tls"),
                "Netty is given the suites and order of Sluice's engine");
    }

    private static void echoAndIdle(String kind) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (Child server = Child.java(java, List.of("-Xmx256m"), System.getProperty("java.class.path"), -1,
                logs.resolve(kind + ".log"), StudyServer.class.getName(), kind, cert.certPem.toString(),
                cert.keyPem.toString())) {
            int port = Integer.parseInt(server.await("PORT "));
            byte[] message = new byte[MESSAGE_BYTES];
            new Random(42).nextBytes(message);
            try (SSLSocket s = VerifyingTlsClient.connect(cert, port)) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write(message);
                out.flush();
                assertArrayEquals(message, in.readNBytes(MESSAGE_BYTES), kind + " echoes every byte, in order");
                negotiated.put(kind, s.getSession().getProtocol() + " " + s.getSession().getCipherSuite());
            }
            server.send("stats");
            String stats = server.await("STATS ");
            assertTrue(stats.contains(" bytes=" + MESSAGE_BYTES + " "), kind + " counts plaintext bytes echoed: " + stats);

            try (IdleClients idle = IdleClients.open(new InetSocketAddress("127.0.0.1", port), IDLE, true)) {
                assertEquals(IDLE, idle.size(), "every idle client handshook and had its byte echoed");
            }
            server.send("quit");
            assertEquals(0, server.waitFor(20), kind + " closed every connection and exited cleanly");
        }
    }

}
