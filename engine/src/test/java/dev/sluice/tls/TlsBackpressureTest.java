package dev.sluice.tls;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.LoopStats;
import dev.sluice.TlsConfig;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import dev.sluice.testing.TestCerts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.lang.ref.Reference;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TLS peer that completes the handshake and then never reads is bounded like a plain one: the
 * producer is told it is unwritable once, pending output (plaintext) stays under the watermark plus one
 * write, and the only TLS extra is at most one chunk of ciphertext per connection that the socket did
 * not take. Nothing is refused or closed until the peers go away.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TlsBackpressureTest {
    private static final int PEERS = 40;
    private static final int KIB = 1024;
    private static final long OFFERED = 50L << 20;

    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certs = TestCerts.make(dir);
    }

    /** Writes 64 KiB pieces while writable, up to 50 MB; goes on when told it may. */
    static final class Producer extends RecordingHandler {
        private final ByteBuffer piece;
        volatile long offered;
        volatile boolean refused;

        Producer(ByteBuffer piece) {
            this.piece = piece;
        }

        @Override
        public void onOpen(Connection c) {
            super.onOpen(c);
            fill(c);
        }

        @Override
        public void onWritabilityChanged(Connection c, boolean writable) {
            super.onWritabilityChanged(c, writable);
            fill(c);
        }

        private void fill(Connection c) {
            while (c.isWritable() && offered < OFFERED) {
                if (!c.write(piece.duplicate())) {
                    refused = true;
                    return;
                }
                offered += piece.remaining();
            }
        }
    }

    @Test
    void shouldPauseNeverReadingTlsPeersBelowTheWatermarks() throws Exception {
        int high = 64 * KIB;
        int chunk = 64 * KIB;
        ByteBuffer piece = ByteBuffer.allocate(chunk).asReadOnlyBuffer();
        try (LoopFixture f = new LoopFixture("tls-neverread")) {
            EventLoop loop = f.startLoop();
            ConnectionConfig cc = ConnectionConfig.defaults().withWatermarks(high, 32 * KIB)
                    .withSocketBuffers(16 * KIB, 16 * KIB).withTls(TlsConfig.server(certs.serverContext()));
            Queue<Producer> producers = new ConcurrentLinkedQueue<>();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> {
                Producer p = new Producer(piece);
                producers.add(p);
                return p;
            });
            List<Socket> peers = new ArrayList<>();
            List<SSLSocket> tls = new ArrayList<>(); // reachable: the JDK 17 SSLSocket's finalizer closes it
            for (int i = 0; i < PEERS; i++) {
                Socket raw = new Socket();
                raw.setReceiveBufferSize(16 * KIB);
                raw.connect(l.localAddress());
                SSLSocket s = (SSLSocket) certs.clientContext().getSocketFactory()
                        .createSocket(raw, "localhost", l.localAddress().getPort(), true);
                s.startHandshake(); // and never read
                peers.add(raw);
                tls.add(s);
            }
            LoopFixture.await(() -> producers.size() == PEERS
                    && producers.stream().allMatch(p -> !p.writability.isEmpty()), "all paused");

            LoopStats st = loop.stats();
            assertEquals(PEERS, st.becameUnwritable());
            assertTrue(st.peakPendingOutputBytes() <= (long) PEERS * (high + chunk),
                    "peak " + st.peakPendingOutputBytes() + " over " + PEERS + " x (watermark + one write)");
            for (Producer p : producers) {
                assertEquals(List.of(false), p.writability);
                assertFalse(p.refused);
                assertTrue(p.closeReason == null, "paused, not closed");
                assertTrue(p.offered < OFFERED);
            }
            for (Socket s : peers) {
                s.setSoLinger(true, 0);
                s.close(); // unread data, no close_notify: RST
            }
            LoopFixture.await(() -> loop.stats().openConnections() == 0, "all closed");
            assertEquals(PEERS, loop.stats().closes(CloseReason.PEER_RESET));
            assertEquals(0, loop.stats().pendingOutputBytes());
            Reference.reachabilityFence(tls);
        }
    }
}
