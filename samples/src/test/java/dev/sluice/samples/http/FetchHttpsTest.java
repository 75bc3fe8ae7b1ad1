package dev.sluice.samples.http;

import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.TestCerts;
import dev.sluice.testing.ToolProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;

import static dev.sluice.samples.http.HttpBenchTest.print;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code fetch https://}: against OpenSSL's {@code s_server -www} (a server nobody here wrote; skipped
 * with a message when openssl is missing), with {@code --cacert} and with {@code --insecure}, refusing
 * an untrusted certificate by default (the system trust store does not know the test's), and against
 * Sluice's own {@code http-server} over TLS.
 */
@Timeout(60)
final class FetchHttpsTest {
    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void setUp() throws Exception {
        certs = TestCerts.make(dir);
    }

    private static int fetch(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        String[] bounded = new String[args.length + 2];
        bounded[0] = "--max-time";
        bounded[1] = "20s"; // the fetch waits uninterruptibly: its own deadline bounds a failure
        System.arraycopy(args, 0, bounded, 2, args.length);
        return new CommandLine(new FetchCommand(print(out), print(err))).execute(bounded);
    }

    private static ToolProcess sServerWww() throws Exception {
        return ToolProcess.start(List.of("openssl", "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
                "-cert", certs.certPem.toString(), "-key", certs.keyPem.toString(), "-www"));
    }

    private static int port(ToolProcess server) throws InterruptedException {
        String line = server.awaitLine(s -> s.startsWith("ACCEPT"), "ACCEPT host:port");
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
    }

    @Test
    void shouldFetchFromOpensslSServerTrustingTheCaFile() throws Exception {
        assumeTrue(ToolProcess.available("openssl", "version"), "openssl is not installed: skipping fetch against s_server");
        try (ToolProcess server = sServerWww()) {
            int port = port(server);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = fetch(out, err, "--cacert", certs.certPem.toString(), "https://localhost:" + port + "/");
            assertEquals(0, code, err.toString(UTF_8));
            String page = out.toString(UTF_8);
            assertTrue(page.contains("Ciphers supported in s_server binary"), page); // s_server -www's status page
            assertTrue(page.contains("TLSv1.3"), page);
        }
    }

    @Test
    void shouldFetchFromOpensslSServerWithInsecure() throws Exception {
        assumeTrue(ToolProcess.available("openssl", "version"), "openssl is not installed: skipping fetch against s_server");
        try (ToolProcess server = sServerWww()) {
            int port = port(server);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = fetch(out, err, "--insecure", "https://127.0.0.1:" + port + "/");
            assertEquals(0, code, err.toString(UTF_8));
            assertTrue(out.toString(UTF_8).contains("s_server"), out.toString(UTF_8));
        }
    }

    @Test
    void shouldRefuseACertificateTheSystemTrustStoreDoesNotKnow() throws Exception {
        try (LoopFixture f = new LoopFixture("fetch-untrusted")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null,
                    HttpServer.Limits.defaults(), dev.sluice.samples.TlsFiles.server(certs.certPem, certs.keyPem));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = fetch(out, err, "https://localhost:" + server.port() + "/");
            assertEquals(1, code);
            assertTrue(err.toString(UTF_8).toLowerCase().contains("certif"), err.toString(UTF_8));
            assertEquals("", out.toString(UTF_8));
        }
    }

    @Test
    void shouldFetchFromSluicesOwnHttpsServerAndVerifyTheName() throws Exception {
        try (LoopFixture f = new LoopFixture("fetch-https")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null,
                    HttpServer.Limits.defaults(), dev.sluice.samples.TlsFiles.server(certs.certPem, certs.keyPem));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String url = "https://localhost:" + server.port() + "/";
            int code = fetch(out, err, "--cacert", certs.certPem.toString(), url, url);
            assertEquals(0, code, err.toString(UTF_8));
            assertEquals("Hello, World!Hello, World!", out.toString(UTF_8));
            assertEquals(1, server.acceptedConnections(), "the second fetch reused the pooled TLS connection");

            // 127.0.0.2 is loopback too, and not on the certificate (127.0.0.1 and localhost are).
            HttpServer other = HttpServer.start(f.startLoop(), new java.net.InetSocketAddress("127.0.0.2", 0), null,
                    HttpServer.Limits.defaults(), dev.sluice.samples.TlsFiles.server(certs.certPem, certs.keyPem));
            ByteArrayOutputStream err2 = new ByteArrayOutputStream();
            int mismatch = fetch(new ByteArrayOutputStream(), err2, "--cacert", certs.certPem.toString(),
                    "https://127.0.0.2:" + other.port() + "/");
            assertEquals(1, mismatch);
            assertTrue(err2.toString(UTF_8).contains("127.0.0.2") && err2.toString(UTF_8).toLowerCase().contains("match"),
                    err2.toString(UTF_8));
        }
    }
}
