package dev.sluice.tls;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.TlsConfig;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import dev.sluice.testing.TestCerts;
import dev.sluice.testing.ToolProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLHandshakeException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sluice against a TLS implementation nobody here wrote: OpenSSL's {@code s_client} talks to a Sluice
 * server (TLS 1.2 and 1.3, a TLS 1.3 key update, a TLS 1.2 renegotiation that must be refused), and a
 * Sluice client talks to {@code s_server}, verifying its certificate and host name. Skipped with a
 * message when {@code openssl} is not installed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OpensslInteropTest {
    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(ToolProcess.available("openssl", "version"), "openssl is not installed: skipping interop tests");
        certs = TestCerts.make(dir);
    }

    /** Echoes, and records the protocol the handshake agreed. */
    static final class EchoRecordingProtocol extends RecordingHandler {
        volatile String protocol;

        @Override
        public void onOpen(Connection c) {
            protocol = c.tlsSession().getProtocol();
            super.onOpen(c);
        }
    }

    private static ListenerConfig server() throws Exception {
        return ListenerConfig.defaults().withConnectionConfig(
                ConnectionConfig.defaults().withTls(TlsConfig.server(certs.serverContext())));
    }

    private static ToolProcess sClient(Listener l, String... extra) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + l.localAddress().getPort(), "-servername", "localhost",
                "-CAfile", certs.certPem.toString(), "-verify_return_error", "-verify_hostname", "localhost",
                "-quiet", "-no_ign_eof"));
        cmd.addAll(List.of(extra));
        return ToolProcess.start(cmd);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void shouldEchoToOpensslSClientAndCloseInOrderOnItsCloseNotify(String version) throws Exception {
        try (LoopFixture f = new LoopFixture("ossl-echo")) {
            EventLoop loop = f.startLoop();
            EchoRecordingProtocol h = new EchoRecordingProtocol();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, server(), () -> h);
            try (ToolProcess client = sClient(l, version)) {
                client.send("hello sluice\n");
                client.awaitLine(line -> line.equals("hello sluice"), "the echo");
                client.closeInput(); // s_client sends close_notify and leaves
                assertTrue(h.closed.await(20, TimeUnit.SECONDS));
                assertEquals(CloseReason.PEER_CLOSED, h.closeReason, () -> "cause " + h.closeCause);
                client.awaitExit();
            }
            assertEquals(version.equals("-tls1_2") ? "TLSv1.2" : "TLSv1.3", h.protocol);
        }
    }

    @Test
    void shouldAnswerATls13KeyUpdateAndKeepEchoing() throws Exception {
        try (LoopFixture f = new LoopFixture("ossl-keyupdate")) {
            EventLoop loop = f.startLoop();
            EchoRecordingProtocol h = new EchoRecordingProtocol();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, server(), () -> h);
            try (ToolProcess client = sClient(l, "-tls1_3")) {
                client.send("before\n");
                client.awaitLine(line -> line.equals("before"), "the first echo");
                client.send("K\n"); // s_client: KeyUpdate, asking us to update ours too
                client.awaitLine(line -> line.contains("KEYUPDATE"), "the key update");
                client.send("after\n");
                client.awaitLine(line -> line.equals("after"), "the echo after the key update");
                client.closeInput();
                assertTrue(h.closed.await(20, TimeUnit.SECONDS));
                assertEquals(CloseReason.PEER_CLOSED, h.closeReason, () -> "cause " + h.closeCause);
            }
        }
    }

    @Test
    void shouldRefuseATls12Renegotiation() throws Exception {
        try (LoopFixture f = new LoopFixture("ossl-reneg")) {
            EventLoop loop = f.startLoop();
            EchoRecordingProtocol h = new EchoRecordingProtocol();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, server(), () -> h);
            try (ToolProcess client = sClient(l, "-tls1_2")) {
                client.send("before\n");
                client.awaitLine(line -> line.equals("before"), "the first echo");
                client.send("R\n"); // s_client: renegotiate
                assertTrue(h.closed.await(20, TimeUnit.SECONDS));
                assertEquals(CloseReason.TLS_ERROR, h.closeReason);
                assertTrue(h.closeCause.getMessage().contains("renegotiation"), h.closeCause.getMessage());
            }
        }
    }

    /** Sends one line on open; keeps what comes back; closes once a whole line is back. */
    static final class LineClient implements ConnectionHandler {
        final CountDownLatch closed = new CountDownLatch(1);
        final StringBuilder got = new StringBuilder();
        volatile CloseReason reason;
        volatile Throwable cause;
        volatile String protocol;

        @Override
        public void onOpen(Connection c) {
            protocol = c.tlsSession().getProtocol();
            c.write(ByteBuffer.wrap("hello sluice\n".getBytes(StandardCharsets.US_ASCII)));
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            got.append(StandardCharsets.US_ASCII.decode(data));
            if (got.indexOf("\n") >= 0) {
                c.close();
            }
        }

        @Override
        public void onClose(Connection c, CloseReason r, Throwable t) {
            reason = r;
            cause = t;
            closed.countDown();
        }
    }

    private static ToolProcess sServer(String version) throws Exception {
        return ToolProcess.start(List.of("openssl", "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
                "-cert", certs.certPem.toString(), "-key", certs.keyPem.toString(), "-rev", version));
    }

    private static InetSocketAddress acceptAddress(ToolProcess server) throws InterruptedException {
        String line = server.awaitLine(s -> s.startsWith("ACCEPT"), "ACCEPT host:port");
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(line.substring(line.lastIndexOf(':') + 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void shouldTalkToOpensslSServerVerifyingItsCertificateAndName(String version) throws Exception {
        try (LoopFixture f = new LoopFixture("ossl-client"); ToolProcess server = sServer(version)) {
            EventLoop loop = f.startLoop();
            InetSocketAddress at = acceptAddress(server);
            LineClient c = new LineClient();
            loop.connect(at, ConnectionConfig.defaults()
                    .withTls(TlsConfig.client(certs.clientContext(), "localhost")), c);
            assertTrue(c.closed.await(30, TimeUnit.SECONDS));
            assertEquals(CloseReason.LOCAL, c.reason, () -> "cause " + c.cause);
            assertTrue(c.got.toString().contains("eciuls olleh"), "s_server -rev sends the line reversed: " + c.got);
            assertEquals(version.equals("-tls1_2") ? "TLSv1.2" : "TLSv1.3", c.protocol);
            server.awaitExit();
        }
    }

    @Test
    void shouldFailTheHandshakeWhenTheServerCertificateDoesNotMatchTheName() throws Exception {
        try (LoopFixture f = new LoopFixture("ossl-badname"); ToolProcess server = sServer("-tls1_3")) {
            EventLoop loop = f.startLoop();
            InetSocketAddress at = acceptAddress(server);
            LineClient c = new LineClient();
            loop.connect(at, ConnectionConfig.defaults()
                    .withTls(TlsConfig.client(certs.clientContext(), "wrong.example")), c);
            assertTrue(c.closed.await(30, TimeUnit.SECONDS));
            assertEquals(CloseReason.TLS_HANDSHAKE_FAILED, c.reason);
            assertInstanceOf(SSLHandshakeException.class, c.cause.getCause(), () -> "cause " + c.cause);
            assertTrue(c.protocol == null, "never opened");
        }
    }
}
