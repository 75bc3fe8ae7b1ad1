package dev.sluice.tls;

import dev.sluice.CloseReason;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.LoopStats;
import dev.sluice.TlsConfig;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.Fds;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import dev.sluice.testing.StreamingClient;
import dev.sluice.testing.TestCerts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Echo byte-exact through TLS, both ends Sluice (server on one loop, clients on another): the
 * handler sees plaintext, counters count plaintext, and afterwards nothing is held.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TlsEchoTest {
    private static final int EIGHT_MIB = 8 * 1024 * 1024;
    /**
     * Per connection at 200 connections: 8 MiB, 1.6 GiB in all, through 64 KiB watermarks, so every
     * connection goes unwritable and partial writes are the rule. {@code -Dtls.echo200.bytes=N} for less.
     */
    private static final int PER_CONNECTION_AT_200 = Integer.getInteger("tls.echo200.bytes", EIGHT_MIB);

    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certs = TestCerts.make(dir);
    }

    /**
     * Socket buffers of 256 KiB on both ends. With Linux's autotuned buffers (up to 32 MiB to receive, 4
     * MiB to send) 200 streams parked 1.5 GB in the kernel, past {@code tcp_mem}'s pressure mark: receivers
     * then drop segments and senders wait out retransmission timeouts, which backed off for longer than
     * the test's timeout with every byte accounted for (nstat: TCPMemoryPressures, TCPRcvQDrop, prunes).
     */
    private static final int SOCKET_BUFFER = 256 * 1024;

    static ConnectionConfig serverTls() throws Exception {
        return ConnectionConfig.defaults().withSocketBuffers(SOCKET_BUFFER, SOCKET_BUFFER)
                .withTls(TlsConfig.server(certs.serverContext()));
    }

    /** The client streams and must read while it is unwritable, or it and the echo wait for each other. */
    static ConnectionConfig clientTls() throws Exception {
        return ConnectionConfig.defaults().withSocketBuffers(SOCKET_BUFFER, SOCKET_BUFFER).withPauseReadWhenUnwritable(false)
                .withTls(TlsConfig.client(certs.clientContext(), "localhost"));
    }

    @Test
    void shouldEchoEightMiBByteExactOverOneTlsConnection() throws Exception {
        runEcho("tls-echo1", 1, EIGHT_MIB);
    }

    @Test
    void shouldEchoByteExactOnEachOfTwoHundredConcurrentTlsConnections() throws Exception {
        assumeTrue(Fds.limit() >= 600, "needs ulimit -n of at least 600");
        runEcho("tls-echo200", 200, PER_CONNECTION_AT_200);
    }

    private void runEcho(String name, int connections, int bytes) throws Exception {
        try (LoopFixture f = new LoopFixture(name)) {
            EventLoop server = f.startLoop();
            EventLoop clients = f.startLoop();
            Queue<RecordingHandler> handlers = new ConcurrentLinkedQueue<>();
            Listener l = server.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(serverTls()),
                    () -> {
                        RecordingHandler h = new RecordingHandler();
                        handlers.add(h);
                        return h;
                    });
            byte[] payload = Bytes.random(12, bytes);
            ConnectionConfig cc = clientTls();
            List<StreamingClient> started = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                StreamingClient c = new StreamingClient(payload, false);
                started.add(c);
                clients.connect(l.localAddress(), cc, c);
            }
            // Handshakes first, then the streams: on a loaded machine a cold JVM's handshakes competing
            // with 200 streams can take longer than the 10 s handshake timeout (that is not what this tests).
            for (StreamingClient c : started) {
                assertTrue(c.opened.await(60, TimeUnit.SECONDS), "handshake did not complete");
            }
            started.forEach(StreamingClient::start);
            for (StreamingClient c : started) {
                assertTrue(c.closed.await(150, TimeUnit.SECONDS), () -> "echo did not finish: "
                        + started.stream().filter(x -> x.closed.getCount() == 0).count() + " done, received "
                        + started.stream().mapToLong(StreamingClient::received).sum() + "; server " + server.stats()
                        + "; clients " + clients.stats());
                assertEquals(-1, c.firstMismatchAt, "echo differs from what was sent");
                assertEquals(bytes, c.received(), () -> c.closeReason + " " + c.closeCause + "; server side: "
                        + handlers.stream().filter(h -> h.closeReason != null && h.closeReason != CloseReason.PEER_CLOSED)
                        .map(h -> h.closeReason + ":" + h.closeCause).findFirst().orElse("-"));
                assertEquals(CloseReason.LOCAL, c.closeReason, () -> "cause: " + c.closeCause);
            }
            LoopFixture.await(() -> server.stats().openConnections() == 0, "server side closed");
            for (RecordingHandler h : handlers) { // onClose comes in the deferred phase, after the count drops
                assertTrue(h.closed.await(10, TimeUnit.SECONDS), "onClose delivered on the server side");
            }
            for (RecordingHandler h : handlers) {
                assertEquals(CloseReason.PEER_CLOSED, h.closeReason, () -> "cause: " + h.closeCause);
            }
            LoopStats s = server.stats();
            assertEquals((long) bytes * connections, s.bytesRead(), "plaintext bytes read");
            assertEquals((long) bytes * connections, s.bytesWritten(), "plaintext bytes written");
            assertEquals(0, s.bufferedInputBytes());
        }
    }
}
