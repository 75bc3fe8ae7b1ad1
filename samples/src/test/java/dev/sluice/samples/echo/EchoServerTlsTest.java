package dev.sluice.samples.echo;

import dev.sluice.GroupListenMode;
import dev.sluice.samples.Capture;
import dev.sluice.samples.Io;
import dev.sluice.samples.Main;
import dev.sluice.samples.TlsFiles;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.TestCerts;
import dev.sluice.testing.ToolProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code echo-server} over TLS: the JDK's SSLSocket and OpenSSL's {@code s_client} (skipped with a
 * message when missing) get their bytes back, verifying the server's certificate, on one loop and on a
 * group of two (hand-off and {@code SO_REUSEPORT}); one of
 * {@code --tls-cert} and {@code --tls-key} without the other is refused in one line.
 */
@Timeout(60)
final class EchoServerTlsTest {
    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void setUp() throws Exception {
        certs = TestCerts.make(dir);
    }

    private static EchoServer start(LoopFixture f, EchoMode mode) throws Exception {
        return EchoServer.start(f.startLoop(), ServerConfig.defaults().withMode(mode),
                new PrintStream(new java.io.ByteArrayOutputStream(), true), TlsFiles.server(certs.certPem, certs.keyPem));
    }

    @Test
    void shouldEchoOverTlsToTheJdkSslSocket() throws Exception {
        try (LoopFixture f = new LoopFixture("echo-tls-jdk")) {
            EchoServer server = start(f, EchoMode.RAW);
            try (SSLSocket s = (SSLSocket) certs.clientContext().getSocketFactory()
                    .createSocket("127.0.0.1", server.address().getPort())) {
                s.getOutputStream().write("hello over tls".getBytes(StandardCharsets.US_ASCII));
                assertEquals("hello over tls", new String(s.getInputStream().readNBytes(14), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void shouldEchoUpperCaseLinesToOpensslSClient() throws Exception {
        assumeTrue(ToolProcess.available("openssl", "version"), "openssl is not installed: skipping s_client test");
        try (LoopFixture f = new LoopFixture("echo-tls-ossl")) {
            EchoServer server = start(f, EchoMode.UPPER);
            try (ToolProcess client = ToolProcess.start(List.of("openssl", "s_client", "-connect",
                    "127.0.0.1:" + server.address().getPort(), "-CAfile", certs.certPem.toString(),
                    "-verify_return_error", "-verify_hostname", "localhost", "-quiet", "-no_ign_eof"))) {
                client.send("hello sluice\n");
                client.awaitLine(line -> line.equals("HELLO SLUICE"), "the upper-cased echo");
                client.closeInput();
                client.awaitExit();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GroupListenMode.class)
    void shouldEchoOverTlsOnAGroupOfTwoLoops(GroupListenMode mode) throws Exception {
        try (LoopFixture f = new LoopFixture("echo-tls-group-" + mode.ordinal())) {
            EchoGroupServer server = EchoGroupServer.start(f.startGroup(2, mode), ServerConfig.defaults(),
                    new PrintStream(new java.io.ByteArrayOutputStream(), true), TlsFiles.server(certs.certPem, certs.keyPem));
            List<SSLSocket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) { // all kept open, so the hand-off alternates between the loops
                    SSLSocket s = (SSLSocket) certs.clientContext().getSocketFactory()
                            .createSocket("127.0.0.1", server.address().getPort());
                    clients.add(s);
                    s.setSoTimeout(20_000);
                    byte[] hello = ("hello " + i).getBytes(StandardCharsets.US_ASCII);
                    s.getOutputStream().write(hello);
                    assertArrayEquals(hello, s.getInputStream().readNBytes(hello.length));
                    assertTrue(s.getSession().getProtocol().startsWith("TLSv1."), s.getSession().getProtocol());
                }
                assertEquals(4, server.listener().acceptedCount());
                if (mode == GroupListenMode.HAND_OFF) {
                    assertEquals(List.of(2L, 2L), List.of(server.listener().acceptedOn(0), server.listener().acceptedOn(1)),
                            "loop 1 handshook the ones handed to it");
                }
            } finally {
                for (SSLSocket s : clients) {
                    s.close();
                }
                server.close();
            }
            assertEquals(0, server.stats().closes(dev.sluice.CloseReason.TLS_HANDSHAKE_FAILED));
        }
    }

    @Test
    void shouldRefuseTlsKeyWithoutTlsCertInOneLine() {
        Capture out = new Capture();
        Capture err = new Capture();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out.stream, err.stream);
        int code = Main.execute(io, "echo-server", "--port", "0", "--tls-key", certs.keyPem.toString());
        assertNotEquals(0, code);
        assertTrue(err.text().contains("--tls-cert and --tls-key go together"), err.text());
        assertEquals(1, err.text().strip().split("\n").length, err.text());
    }
}
