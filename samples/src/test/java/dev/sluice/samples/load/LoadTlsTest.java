package dev.sluice.samples.load;

import dev.sluice.CloseReason;
import dev.sluice.EventLoop;
import dev.sluice.samples.Capture;
import dev.sluice.samples.Io;
import dev.sluice.samples.Main;
import dev.sluice.samples.Threads;
import dev.sluice.samples.TlsFiles;
import dev.sluice.samples.echo.EchoServer;
import dev.sluice.samples.echo.ServerConfig;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.TestCerts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code load --tls} against the TLS echo server: every connection handshakes before the clock starts
 * and every echoed byte is verified, over several threads; a handshake that cannot succeed (a plain
 * server, an unknown certificate) is counted with its reason and ends the run in one line.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadTlsTest {
    private static final Duration RUN = Duration.ofMillis(300);

    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certs = TestCerts.make(dir);
    }

    private static EchoServer tlsEcho(LoopFixture f) throws Exception {
        return EchoServer.start(f.startLoop(), ServerConfig.defaults(), System.err,
                TlsFiles.server(certs.certPem, certs.keyPem));
    }

    private static Io io(Capture out, Capture err) {
        return new Io(new ByteArrayInputStream(new byte[0]), out.stream, err.stream);
    }

    @Test
    void shouldVerifyEveryEchoedByteOverTlsOnTwoThreads() throws Exception {
        try (LoopFixture f = new LoopFixture("load-tls")) {
            EchoServer server = tlsEcho(f);
            LoadConfig config = LoadConfig.to(server.address()).withConnections(4).withDepth(2).withMessageBytes(1000)
                    .withTimes(RUN, Duration.ZERO).withTls(TlsFiles.client("localhost", certs.certPem, false));

            LoadResult r = LoadThreads.run(config, 2, System.err);

            assertTrue(r.ok(), () -> r.errors() + " " + r.errorSamples());
            assertEquals(4, r.connectionsOpened(), "every connection handshook");
            assertTrue(r.messages() > 0);
            assertEquals(r.bytesSent(), r.bytesReceived());
            assertEquals(r.messagesTotal() * 1000, r.bytesReceived(), "every message echoed whole and verified");
            assertTrue(r.tls().startsWith("TLSv1."), r.tls());
            assertTrue(r.openingNs() > 0, "the handshakes are timed apart");
            // The server's counters are plaintext: what the generator verified went through TLS both ways.
            assertEquals(r.bytesSent(), server.loop().stats().bytesRead());
            assertEquals(0, server.loop().stats().closes(CloseReason.TLS_HANDSHAKE_FAILED));
            Threads.assertNoneAlive("load-generator-");
            server.close();
        }
    }

    @Test
    void shouldStartTheClockOnlyOnceEveryHandshakeIsDone() throws Exception {
        try (LoopFixture f = new LoopFixture("load-tls-slow")) {
            EchoServer server = tlsEcho(f);
            EventLoop serverLoop = server.loop();
            CountDownLatch stalled = new CountDownLatch(1);
            // The server's loop stalls for a second (a timed wait on a latch nobody opens), so no handshake
            // can finish before then: far longer than the 300 ms the load measures.
            serverLoop.execute(() -> {
                stalled.countDown();
                try {
                    new CountDownLatch(1).await(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(stalled.await(10, TimeUnit.SECONDS));
            LoadConfig config = LoadConfig.to(server.address()).withConnections(3).withTimes(RUN, Duration.ZERO)
                    .withTls(TlsFiles.client("localhost", certs.certPem, false));

            LoadResult r = LoadGenerator.run(config, f.startLoop());

            assertTrue(r.ok(), () -> r.errors() + " " + r.errorSamples());
            assertTrue(r.messages() > 0, "had the handshakes counted in the window, it would have ended before them");
            assertTrue(r.openingNs() > RUN.toNanos(), "opening took the stall: " + r.openingNs() / 1e6 + " ms");
            assertTrue(r.measuredNs() >= RUN.toNanos(), "the whole window after the handshakes");
            server.close();
        }
    }

    @Test
    void shouldPrintTheHandshakesApartAndTheResultAsJsonFromTheCommand() throws Exception {
        Capture out = new Capture();
        Capture err = new Capture();
        try (LoopFixture f = new LoopFixture("load-tls-command")) {
            EchoServer server = tlsEcho(f);
            int code = Main.execute(io(out, err), "load", "127.0.0.1:" + server.address().getPort(), "--tls", "-k",
                    "-t", "2", "-c", "4", "-d", "300ms", "-w", "0", "--json", "-");
            assertEquals(0, code, out.text() + err.text());
            server.close();
        }
        assertTrue(out.text().matches("(?s)load 127\\.0\\.0\\.1:\\d+: 4 connections, .*\nTLS TLSv1\\.\\d \\S+: 4 handshakes in "
                + "\\d+ ms, before the clock started \\(not measured\\)\n.*"), out.text());
        String json = out.text().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(json.matches("\\{\"target\":\"127\\.0\\.0\\.1:\\d+\",\"threads\":2,\"connections\":4,.*"
                + "\"connections_opened\":4,\"opening_ms\":[\\d.]+,\"tls\":\"TLSv1\\.\\d \\S+\",\"errors\":\\{},"
                + "\"load_cpu_pct\":[\\d.]+,\"ok\":true}"), json);
        assertEquals("", err.text());
        Threads.assertNoneAlive("load-generator-");
    }

    @Test
    void shouldCountTheFailedHandshakesAgainstAPlainServerAndEndInOneLine() throws Exception {
        Capture out = new Capture();
        Capture err = new Capture();
        int port;
        try (LoopFixture f = new LoopFixture("load-tls-plain")) {
            // A plain echo server sends the ClientHello back: no client takes that for a ServerHello.
            EchoServer plain = EchoServer.start(f.startLoop(), ServerConfig.defaults(), System.err);
            port = plain.address().getPort();
            int code = Main.execute(io(out, err), "load", "127.0.0.1:" + port, "--tls", "-k", "-c", "3", "-t", "3",
                    "-d", "300ms", "-w", "0");
            assertEquals(1, code, out.text() + err.text());
            plain.close();
        }
        assertEquals("only 0 of 3 connections opened\nerrors: TLS_HANDSHAKE_FAILED=3\n",
                out.text().replaceAll("(?m)^  connection.*\n", ""), out.text());
        assertTrue(err.text().startsWith("load: cannot open a TLS connection to 127.0.0.1:" + port
                + " (connection 0: TLS handshake failed"), err.text());
        assertEquals(1, err.text().split("\n").length, "one line, no stack trace: " + err.text());
        Threads.assertNoneAlive("load-generator-");
    }

    @Test
    void shouldRefuseACertificateItDoesNotTrustWithoutInsecure() throws Exception {
        try (LoopFixture f = new LoopFixture("load-tls-untrusted")) {
            EchoServer server = tlsEcho(f);
            LoadConfig config = LoadConfig.to(server.address()).withConnections(2).withTimes(RUN, Duration.ZERO)
                    .withTls(TlsFiles.client("localhost", null, false)); // the system trust store

            LoadResult r = LoadGenerator.run(config, f.startLoop());

            assertEquals(Map.of(ErrorKind.TLS_HANDSHAKE_FAILED, 2L), r.errors());
            assertEquals(0, r.connectionsOpened());
            assertTrue(r.errorSamples().get(0).matches("connection \\d: TLS handshake failed: .*(PKIX|certif).*"),
                    r.errorSamples().get(0));
            server.close();
        }
    }

    @Test
    void shouldRefuseTrustOptionsWithoutTlsAsAUsageMistake() {
        Capture out = new Capture();
        Capture err = new Capture();
        assertEquals(2, Main.execute(io(out, err), "load", "127.0.0.1:1", "-k"));
        assertEquals("sluice-samples load: --cacert and --insecure need --tls (see 'sluice-samples load --help')\n",
                err.text());
        Capture err2 = new Capture();
        assertEquals(2, Main.execute(io(out, err2), "load", "127.0.0.1:1", "--tls", "-k", "--cacert",
                certs.certPem.toString()), err2::text);
        assertTrue(err2.text().startsWith("sluice-samples load: --cacert and --insecure contradict each other"),
                err2.text());
        assertEquals("", out.text(), "nothing ran");
    }
}
