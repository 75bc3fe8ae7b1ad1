package dev.sluice.samples.http;

import dev.sluice.CloseReason;
import dev.sluice.LoopConfig;
import dev.sluice.samples.TlsFiles;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.TestCerts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.sluice.samples.http.HttpBenchTest.assertLoopThreadGone;
import static dev.sluice.samples.http.HttpBenchTest.print;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code http-bench https://...} against the project's HTTPS server: every response counted over TLS
 * (threads, fixed rate, latency, JSON), the certificate and host name checked as fetch checks them,
 * and a certificate it cannot trust reported as wrk's connect errors with the reason once, not a hang.
 */
@Timeout(30)
final class HttpBenchTlsTest {
    private static final long MS = 1_000_000L;
    /** Long enough for a cold JVM's first handshakes on a busy 2-core machine, so the window has requests. */
    private static final long WARM_UP_MS = 1000;
    /** Long enough for the first refused handshakes to be counted on the same machine. */
    private static final String REFUSED_RUN = "1500ms";

    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certs = TestCerts.make(dir);
    }

    private static HttpServer httpsServer(LoopFixture f, InetSocketAddress address) throws Exception {
        return HttpServer.start(f.startLoop(), address, null, HttpServer.Limits.defaults(),
                TlsFiles.server(certs.certPem, certs.keyPem));
    }

    private static int bench(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return new CommandLine(new HttpBenchCommand(print(out), print(err))).execute(args);
    }

    @Test
    void shouldCountEveryResponseOverTlsOnTwoThreads() throws Exception {
        try (LoopFixture f = new LoopFixture("bench-tls")) {
            HttpServer server = httpsServer(f, LoopFixture.ANY_LOOPBACK);
            HttpUrl url = HttpUrl.parse("https://localhost:" + server.port() + "/");
            // The warm-up takes the handshakes, however long a cold JVM needs for its first ones.
            BenchConfig config = BenchConfig.of(url, 4, 300 * MS).withThreads(2).withPipeline(2)
                    .withWarmupNs(WARM_UP_MS * MS)
                    .withTls(TlsFiles.client("localhost", certs.certPem, false));

            BenchResult r = HttpBench.run(config, server.address(), LoopConfig.defaults().withName("test-bench-tls"));

            assertTrue(r.requests() > 0, r.errors() + " " + r.firstError());
            assertEquals(Map.of(200, r.requests()), r.statusCounts());
            assertEquals(Map.of(), r.errors());
            assertEquals(r.requests(), r.latencyUs().getTotalCount());
            assertEquals(4, r.connects(), "four handshakes, kept alive for the whole run");
            assertTrue(r.bytesRead() >= r.requests() * 13, "plaintext bytes: " + r.bytesRead());
            assertEquals(4, server.acceptedConnections());
            assertEquals(0, server.loop().stats().closes(CloseReason.TLS_HANDSHAKE_FAILED));
            assertLoopThreadGone("test-bench-tls-1");
            assertLoopThreadGone("test-bench-tls-2");
        }
    }

    @Test
    void shouldAllowEveryHandshakeTenSecondsEvenUnderWrksTwoSecondTimeout() {
        HttpUrl url = HttpUrl.parse("https://localhost:8443/");
        BenchConfig wrkDefaults = BenchConfig.of(url, 256, 10_000 * MS); // --timeout 2s, as wrk
        assertEquals(10_000 * MS, wrkDefaults.handshakeTimeoutNs(),
                "256 handshakes at once on a cold client took over 2 s here: all connect errors at wrk's default");
        BenchConfig patient = new BenchConfig(url, 256, 1, 0, 10_000 * MS, 1, 30_000 * MS, 30_000 * MS, 0, List.of(),
                TlsFiles.client("localhost", certs.certPem, false));
        assertEquals(30_000 * MS, patient.handshakeTimeoutNs(), "a longer --timeout is a longer handshake budget too");
    }

    @Test
    void shouldRunAtAFixedRateWithLatencyAndJsonFromTheCommand() throws Exception {
        try (LoopFixture f = new LoopFixture("bench-tls-command")) {
            HttpServer server = httpsServer(f, LoopFixture.ANY_LOOPBACK);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String url = "https://localhost:" + server.port() + "/"; // SNI and the name check, as fetch does

            int code = bench(out, err, "-t", "2", "-c", "4", "-d", "400ms", "-w", WARM_UP_MS + "ms", "-R", "200",
                    "--latency", "--json", "-", "--cacert", certs.certPem.toString(), url);

            String report = out.toString(UTF_8);
            assertEquals(0, code, report + err);
            assertTrue(report.startsWith("Running 400ms test @ " + url + "\n  2 threads and 4 connections, "
                    + "200 requests/s"), report);
            assertTrue(report.contains("  Latency Distribution (HdrHistogram - Recorded Latency)\n"), report);
            assertFalse(report.contains("Socket errors"), report);
            String json = report.lines().reduce((a, b) -> b).orElseThrow();
            assertTrue(json.matches("\\{\"url\":\"https://localhost:\\d+/\",\"threads\":2,\"connections\":4,.*"
                    + "\"status\":\\{\"200\":\\d+},\"errors\":\\{},\"connects\":4.*"), json);
            assertEquals("", err.toString(UTF_8));
        }
        assertLoopThreadGone("http-bench-1");
        assertLoopThreadGone("http-bench-2");
    }

    @Test
    void shouldReportAnUntrustedCertificateAsConnectErrorsAndSayWhyOnce() throws Exception {
        try (LoopFixture f = new LoopFixture("bench-tls-untrusted")) {
            HttpServer server = httpsServer(f, LoopFixture.ANY_LOOPBACK);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int code = bench(out, err, "-t", "1", "-c", "2", "-d", REFUSED_RUN, "-w", "0",
                    "https://localhost:" + server.port() + "/"); // no --cacert, no -k: the system trust store

            String report = out.toString(UTF_8);
            assertEquals(1, code, report);
            assertTrue(report.matches("(?s).*\n  Socket errors: connect [1-9]\\d*, read 0, write 0, timeout 0\n.*"), report);
            String[] lines = err.toString(UTF_8).split("\n");
            assertEquals(2, lines.length, err.toString(UTF_8));
            assertTrue(lines[0].startsWith("http-bench: no request completed (errors: connect "), lines[0]);
            assertTrue(lines[1].startsWith("http-bench: first socket error: TLS_HANDSHAKE_FAILED: ")
                    && lines[1].contains("PKIX"), lines[1]);
            assertTrue(server.acceptedConnections() >= 2, "it kept reconnecting: " + server.acceptedConnections());
            LoopFixture.await(() -> server.openConnections() == 0, "every refused connection ended on the server too");
        }
        assertLoopThreadGone("http-bench");
    }

    @Test
    void shouldRefuseAServerWhoseCertificateDoesNotNameTheHost() throws Exception {
        try (LoopFixture f = new LoopFixture("bench-tls-name")) {
            // 127.0.0.2 is loopback too, and not on the certificate (127.0.0.1 and localhost are).
            HttpServer server = httpsServer(f, new InetSocketAddress("127.0.0.2", 0));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int code = bench(out, err, "-t", "1", "-c", "1", "-d", REFUSED_RUN, "-w", "0", "--cacert",
                    certs.certPem.toString(), "https://127.0.0.2:" + server.port() + "/");

            assertEquals(1, code, out.toString(UTF_8));
            assertTrue(err.toString(UTF_8).contains("first socket error: TLS_HANDSHAKE_FAILED: ")
                    && err.toString(UTF_8).contains("127.0.0.2"), err.toString(UTF_8));

            ByteArrayOutputStream ok = new ByteArrayOutputStream();
            assertEquals(0, bench(ok, new ByteArrayOutputStream(), "-t", "1", "-c", "1", "-d", "200ms",
                    "-w", WARM_UP_MS + "ms", "-k",
                    "https://127.0.0.2:" + server.port() + "/"), "-k skips the name check: " + ok.toString(UTF_8));
        }
        assertLoopThreadGone("http-bench");
    }

    @Test
    void shouldRefuseTrustOptionsForAnHttpUrlAndBothAtOnce() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, bench(new ByteArrayOutputStream(), err, "-k", "http://127.0.0.1:1/"));
        assertEquals("http-bench: --cacert and --insecure are for https:// URLs: http://127.0.0.1:1/\n", err.toString(UTF_8));
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertEquals(2, bench(new ByteArrayOutputStream(), err2, "-k", "--cacert", certs.certPem.toString(),
                "https://127.0.0.1:1/"));
        assertEquals("http-bench: --cacert and --insecure contradict each other: choose one\n", err2.toString(UTF_8));
        ByteArrayOutputStream err3 = new ByteArrayOutputStream();
        assertEquals(1, bench(new ByteArrayOutputStream(), err3, "--cacert", dir.resolve("missing.pem").toString(),
                "https://127.0.0.1:1/"));
        assertTrue(err3.toString(UTF_8).startsWith("http-bench: cannot load the trusted certificates: "), err3.toString(UTF_8));
    }
}
