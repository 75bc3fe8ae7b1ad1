package dev.sluice.tls;

import dev.sluice.CloseReason;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.ManualClock;
import dev.sluice.TlsConfig;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import dev.sluice.testing.TestCerts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.ref.Reference;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.sluice.testing.LoopFixture.runUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad TLS input ends only the connection that sent it, with a typed reason, and prints nothing: garbage
 * instead of a ClientHello, a record cut short by FIN, FIN without {@code close_notify}, a record that
 * does not decrypt, and a peer that stalls mid-handshake (on a manual clock, to the nanosecond).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsHostileTest {
    private static final long SEC = 1_000_000_000L;

    @TempDir
    static Path dir;
    static TestCerts certs;

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certs = TestCerts.make(dir);
    }

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(originalErr, stderr), true));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    private void assertNothingPrinted() {
        String printed = stderr.toString(StandardCharsets.UTF_8);
        assertFalse(printed.contains("Exception") || printed.contains("\tat "), "printed: " + printed);
    }

    /** A server whose handshake timeout (60 s) is far beyond the test's wait: a failure is not a timeout. */
    private static ListenerConfig server() throws Exception {
        TlsConfig tls = TlsConfig.server(certs.serverContext()).withHandshakeTimeout(Duration.ofSeconds(60));
        return ListenerConfig.defaults().withConnectionConfig(ConnectionConfig.defaults().withTls(tls));
    }

    @Test
    void shouldFailTheHandshakeOfAPeerThatSendsGarbageInsteadOfAClientHello() throws Exception {
        try (LoopFixture f = new LoopFixture("tls-garbage")) {
            EventLoop loop = f.startLoop();
            RecordingHandler h = new RecordingHandler();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, server(), () -> h);
            SocketChannel peer = f.connect(l.localAddress());
            peer.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            Bytes.readToEof(peer, 1024); // an alert, perhaps, and then the end

            assertTrue(h.closed.await(20, TimeUnit.SECONDS));
            assertEquals(CloseReason.TLS_HANDSHAKE_FAILED, h.closeReason);
            assertInstanceOf(SSLException.class, h.closeCause);
            assertFalse(h.events.contains("open"), "onOpen is not called for a failed handshake");
            assertEquals(1, loop.stats().closes(CloseReason.TLS_HANDSHAKE_FAILED));
            assertNothingPrinted();
        }
    }

    /**
     * Completes a handshake with the JDK's SSLSocket over {@code raw}, which the test can then abuse.
     * Keep the socket reachable: the JDK 17 SSLSocket's finalizer closes it, with close_notify.
     */
    private static SSLSocket handshakeOver(SocketChannel raw, Listener l) throws Exception {
        SSLSocket tls = (SSLSocket) certs.clientContext().getSocketFactory()
                .createSocket(raw.socket(), "localhost", l.localAddress().getPort(), false);
        tls.startHandshake();
        return tls;
    }

    @Test
    void shouldReportAFinWithoutCloseNotifyAsTruncationAfterDeliveringWhatCameBefore() throws Exception {
        try (LoopFixture f = new LoopFixture("tls-fin")) {
            EventLoop loop = f.startLoop();
            RecordingHandler h = new RecordingHandler();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, server(), () -> h);
            SocketChannel raw = f.connect(l.localAddress());
            SSLSocket tls = handshakeOver(raw, l);
            tls.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            LoopFixture.await(() -> h.bytesIn.get() == 5, "the record before the FIN delivered");
            raw.shutdownOutput(); // FIN, no close_notify

            assertTrue(h.closed.await(20, TimeUnit.SECONDS));
            assertEquals(CloseReason.TLS_TRUNCATED, h.closeReason);
            assertTrue(h.events.contains("open"));
            assertEquals(1, loop.stats().closes(CloseReason.TLS_TRUNCATED));
            assertNothingPrinted();
            Reference.reachabilityFence(tls);
        }
    }

    @Test
    void shouldReportARecordCutShortByFinAsTruncation() throws Exception {
        try (LoopFixture f = new LoopFixture("tls-cut")) {
            EventLoop loop = f.startLoop();
            RecordingHandler h = new RecordingHandler();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, server(), () -> h);
            SocketChannel raw = f.connect(l.localAddress());
            SSLSocket tls = handshakeOver(raw, l);
            h.opened.await(20, TimeUnit.SECONDS);
            // An application-data record header promising 64 bytes, 5 of them sent, then FIN.
            raw.write(ByteBuffer.wrap(new byte[] {0x17, 0x03, 0x03, 0x00, 0x40, 1, 2, 3, 4, 5}));
            raw.shutdownOutput();

            assertTrue(h.closed.await(20, TimeUnit.SECONDS));
            assertEquals(CloseReason.TLS_TRUNCATED, h.closeReason);
            assertEquals(0, h.bytesIn.get(), "nothing of the cut record is delivered");
            assertNothingPrinted();
            Reference.reachabilityFence(tls);
        }
    }

    @Test
    void shouldCloseWithTlsErrorOnARecordThatDoesNotDecrypt() throws Exception {
        try (LoopFixture f = new LoopFixture("tls-badrecord")) {
            EventLoop loop = f.startLoop();
            RecordingHandler h = new RecordingHandler();
            RecordingHandler other = new RecordingHandler();
            boolean[] first = {true};
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, server(), () -> {
                RecordingHandler r = first[0] ? h : other;
                first[0] = false;
                return r;
            });
            SocketChannel raw = f.connect(l.localAddress());
            SSLSocket bad = handshakeOver(raw, l);
            SocketChannel bystander = f.connect(l.localAddress());
            SSLSocket good = handshakeOver(bystander, l);
            h.opened.await(20, TimeUnit.SECONDS);
            byte[] record = new byte[5 + 32];
            System.arraycopy(new byte[] {0x17, 0x03, 0x03, 0x00, 0x20}, 0, record, 0, 5);
            System.arraycopy(Bytes.random(3, 32), 0, record, 5, 32);
            raw.write(ByteBuffer.wrap(record));

            assertTrue(h.closed.await(20, TimeUnit.SECONDS));
            assertEquals(CloseReason.TLS_ERROR, h.closeReason, () -> "cause " + h.closeCause + " events " + h.events);
            assertInstanceOf(SSLException.class, h.closeCause);
            // The other connection on the same loop is untouched: it still echoes.
            good.getOutputStream().write("still here".getBytes(StandardCharsets.US_ASCII));
            byte[] echo = good.getInputStream().readNBytes(10);
            assertEquals("still here", new String(echo, StandardCharsets.US_ASCII));
            assertNull(other.closeReason);
            good.close();
            assertNothingPrinted();
            Reference.reachabilityFence(bad);
        }
    }

    @Test
    void shouldCloseAPeerThatStallsMidHandshakeAtTheHandshakeTimeoutToTheNanosecond() throws Exception {
        long t0 = 7 * SEC + 123;
        ManualClock clock = new ManualClock(t0);
        try (LoopFixture f = new LoopFixture("tls-stall")) {
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(5_000_000L));
            RecordingHandler h = new RecordingHandler();
            ListenerConfig lc = ListenerConfig.defaults().withConnectionConfig(
                    ConnectionConfig.defaults().withTls(TlsConfig.server(certs.serverContext())));
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, lc, () -> h);
            SocketChannel peer = f.connect(l.localAddress());
            byte[] hello = clientHello();
            peer.write(ByteBuffer.wrap(hello, 0, hello.length / 2)); // half a ClientHello, then nothing
            runUntil(loop, t0, () -> loop.stats().accepts() == 1);
            for (int i = 0; i < 5; i++) {
                loop.runOnce(t0); // let it read the half it got
            }

            loop.runOnce(t0 + TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT_NS - 1);
            assertNull(h.closeReason, "closed before the handshake timeout");
            loop.runOnce(t0 + TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT_NS);
            assertEquals(CloseReason.TLS_HANDSHAKE_TIMEOUT, h.closeReason);
            assertFalse(h.events.contains("open"));
            assertEquals(0, loop.stats().openConnections());
            assertNothingPrinted();
            loop.close();
        }
    }

    /** The bytes of a real ClientHello, from the JDK's client engine. */
    private static byte[] clientHello() throws Exception {
        SSLEngine e = certs.clientContext().createSSLEngine("localhost", 443);
        e.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        e.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    /** Writes to two streams: the test still shows what was printed. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
