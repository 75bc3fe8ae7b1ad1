package dev.sluice.samples.client;

import dev.sluice.samples.Capture;
import dev.sluice.samples.Io;
import dev.sluice.samples.Main;
import dev.sluice.samples.TlsFiles;
import dev.sluice.samples.echo.EchoServer;
import dev.sluice.samples.echo.ServerConfig;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.TestCerts;
import dev.sluice.testing.ToolProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code client --tls}, like {@code openssl s_client}: standard input over TLS to a Sluice echo server
 * and to OpenSSL's {@code s_server} (skipped with a message when missing), the certificate verified
 * with {@code --cacert}; end of input half-closes with close_notify; a name the certificate does not
 * hold fails in one line.
 */
@Timeout(60)
class ClientTlsTest {
    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void setUp() throws Exception {
        certs = TestCerts.make(dir);
    }

    private static Io io(String input, Capture out, Capture err) {
        return new Io(new ByteArrayInputStream(input.getBytes(StandardCharsets.US_ASCII)), out.stream, err.stream);
    }

    @Test
    void shouldRelayStandardInputOverTlsToTheEchoServerAndEndCleanly() throws Exception {
        try (LoopFixture f = new LoopFixture("client-tls")) {
            EchoServer server = EchoServer.start(f.startLoop(), ServerConfig.defaults(), System.err,
                    TlsFiles.server(certs.certPem, certs.keyPem));
            Capture out = new Capture();
            Capture err = new Capture();
            int code = Main.execute(io("hello over tls\n", out, err), "client", "127.0.0.1",
                    String.valueOf(server.address().getPort()), "--tls", "--cacert", certs.certPem.toString());
            assertEquals(0, code, err.text());
            assertEquals("hello over tls\n", out.text());
            assertTrue(err.text().contains("client: TLS TLSv1.3"), err.text());
        }
    }

    @Test
    void shouldTalkToOpensslSServer() throws Exception {
        assumeTrue(ToolProcess.available("openssl", "version"), "openssl is not installed: skipping client --tls vs s_server");
        try (ToolProcess server = ToolProcess.start(List.of("openssl", "s_server", "-accept", "127.0.0.1:0",
                "-naccept", "1", "-cert", certs.certPem.toString(), "-key", certs.keyPem.toString(), "-rev"))) {
            String line = server.awaitLine(s -> s.startsWith("ACCEPT"), "ACCEPT host:port");
            String port = line.substring(line.lastIndexOf(':') + 1);
            Capture out = new Capture();
            Capture err = new Capture();
            Main.execute(io("hello sluice\n", out, err), "client", "localhost", port, "--tls", "--cacert",
                    certs.certPem.toString());
            assertTrue(out.text().contains("eciuls olleh"), "s_server -rev reverses the line: " + out.text() + err.text());
        }
    }

    @Test
    void shouldFailInOneLineWhenTheCertificateDoesNotNameTheHost() throws Exception {
        try (LoopFixture f = new LoopFixture("client-tls-name")) {
            // 127.0.0.2 is loopback too, and not on the certificate (127.0.0.1 and localhost are).
            EchoServer server = EchoServer.start(f.startLoop(), ServerConfig.defaults().withAddress("127.0.0.2", 0),
                    System.err, TlsFiles.server(certs.certPem, certs.keyPem));
            Capture out = new Capture();
            Capture err = new Capture();
            int code = Main.execute(io("x\n", out, err), "client", "127.0.0.2",
                    String.valueOf(server.address().getPort()), "--tls", "--cacert", certs.certPem.toString());
            assertEquals(1, code);
            assertEquals(1, err.text().strip().split("\n").length, err.text());
            assertTrue(err.text().startsWith("client: cannot connect"), err.text());
            assertTrue(err.text().contains("127.0.0.2") && err.text().toLowerCase().contains("match"), err.text());
        }
    }
}
