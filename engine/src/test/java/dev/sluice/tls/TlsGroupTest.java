package dev.sluice.tls;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.EventLoopGroup;
import dev.sluice.GroupListenMode;
import dev.sluice.GroupListener;
import dev.sluice.ListenerConfig;
import dev.sluice.LoopStats;
import dev.sluice.TlsConfig;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import dev.sluice.testing.StreamingClient;
import dev.sluice.testing.TestCerts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLSocket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on every path a connection takes onto a loop other than a plain {@code listen}: a group's
 * hand-off (accepted on loop 0, served on the loop with the fewest), a group's {@code SO_REUSEPORT}
 * sockets, a group's {@code connect}, and {@link EventLoop#adopt}. Each handshakes in the right mode
 * on the loop that owns the connection, echoes byte-exact, and a failed handshake on a handed-off
 * connection gives its place in the group's count back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsGroupTest {
    private static final int CONNECTIONS = 8;
    private static final int BYTES = 256 * 1024;

    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certs = TestCerts.make(dir);
    }

    private static ConnectionConfig serverTls() throws Exception {
        return ConnectionConfig.defaults().withTls(TlsConfig.server(certs.serverContext()));
    }

    /** Streams, so it reads while unwritable (see {@link TlsEchoTest#clientTls()}). */
    private static ConnectionConfig clientTls() throws Exception {
        return ConnectionConfig.defaults().withPauseReadWhenUnwritable(false)
                .withTls(TlsConfig.client(certs.clientContext(), "localhost"));
    }

    @ParameterizedTest
    @EnumSource(GroupListenMode.class)
    void shouldHandshakeAndEchoOverTlsOnAGroupOfTwoLoops(GroupListenMode mode) throws Exception {
        try (LoopFixture f = new LoopFixture("tls-group-" + mode.ordinal());
             LoopFixture c = new LoopFixture("tls-group-clients-" + mode.ordinal())) {
            EventLoopGroup servers = f.startGroup(2, mode);
            Queue<TlsRecorder> handlers = new ConcurrentLinkedQueue<>();
            GroupListener l = servers.listen(LoopFixture.ANY_LOOPBACK,
                    ListenerConfig.defaults().withConnectionConfig(serverTls()), () -> {
                        TlsRecorder h = new TlsRecorder();
                        handlers.add(h);
                        return h;
                    });
            assertEquals(mode, l.mode(), "no fallback on Linux");
            EventLoopGroup clients = c.startGroup(2, GroupListenMode.HAND_OFF);
            byte[] payload = Bytes.random(7, BYTES);
            List<StreamingClient> started = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                StreamingClient s = new StreamingClient(payload);
                started.add(s);
                clients.connect(l.localAddress(), clientTls(), s);
            }
            for (StreamingClient s : started) {
                assertTrue(s.closed.await(40, TimeUnit.SECONDS), "echo did not finish");
                assertEquals(-1, s.firstMismatchAt, "echo differs from what was sent");
                assertEquals(BYTES, s.received(), () -> s.closeReason + " " + s.closeCause);
                assertEquals(CloseReason.LOCAL, s.closeReason, () -> "cause: " + s.closeCause);
            }
            LoopFixture.await(() -> servers.stats().openConnections() == 0, "server side closed");
            for (RecordingHandler h : handlers) { // onClose comes in the deferred phase, after the count drops
                assertTrue(h.closed.await(10, TimeUnit.SECONDS), "onClose delivered on the server side");
            }
            assertEquals(CONNECTIONS, handlers.size());
            for (TlsRecorder h : handlers) {
                assertEquals(CloseReason.PEER_CLOSED, h.closeReason, () -> "cause: " + h.closeCause);
                assertTrue(h.protocol.startsWith("TLSv1."), "handshake completed as the server: " + h.protocol);
            }
            long plaintext = 0;
            for (int i = 0; i < 2; i++) {
                LoopStats s = servers.loopStats().get(i);
                plaintext += s.bytesRead();
                assertEquals(l.acceptedOn(i), s.closes(CloseReason.PEER_CLOSED), "loop " + i + " closed what it got");
                assertEquals(l.acceptedOn(i) * BYTES, s.bytesRead(), "loop " + i + " decrypted what it got");
            }
            if (mode == GroupListenMode.HAND_OFF) {
                // The fewest-connections choice alternates, so loop 1, which accepts nothing itself, served
                // some: it ran their handshakes (the kernel's hash decides this under REUSE_PORT).
                assertTrue(l.acceptedOn(1) > 0, l.acceptedOn(0) + " / " + l.acceptedOn(1));
            }
            assertEquals((long) CONNECTIONS * BYTES, plaintext, "plaintext bytes read over the group");
            assertEquals(0, l.openConnections());
        }
    }

    @Test
    void shouldGiveAHandedOffConnectionsPlaceBackWhenItsHandshakeFails() throws Exception {
        try (LoopFixture f = new LoopFixture("tls-group-bad")) {
            EventLoopGroup servers = f.startGroup(2, GroupListenMode.HAND_OFF);
            GroupListener l = servers.listen(LoopFixture.ANY_LOOPBACK,
                    ListenerConfig.defaults().withConnectionConfig(serverTls()), RecordingHandler::new);
            // Both connected before either sends: each is handed to a loop while the other still counts.
            List<SocketChannel> plain = List.of(f.connect(l.localAddress()), f.connect(l.localAddress()));
            for (SocketChannel ch : plain) {
                ch.write(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            }
            for (SocketChannel ch : plain) {
                try {
                    Bytes.readToEof(ch, 64 * 1024); // an alert, or nothing, then the server closes
                } catch (java.net.SocketException reset) {
                    // Closed with a reset: closed all the same.
                }
            }
            LoopFixture.await(() -> servers.stats().closes(CloseReason.TLS_HANDSHAKE_FAILED) == 2,
                    "two failed handshakes counted");
            for (int i = 0; i < 2; i++) {
                assertEquals(1, servers.loopStats().get(i).closes(CloseReason.TLS_HANDSHAKE_FAILED),
                        "loop " + i + " ran one of the handshakes");
            }
            LoopFixture.await(() -> l.openConnections() == 0, "the group listener's count back to 0");
            assertEquals(0, servers.stats().openConnections());
        }
    }

    @Test
    void shouldHandshakeAsTheServerOnAnAdoptedChannel() throws Exception {
        try (LoopFixture f = new LoopFixture("tls-adopt");
             ServerSocketChannel acceptor = ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            EventLoop loop = f.startLoop();
            int port = ((java.net.InetSocketAddress) acceptor.getLocalAddress()).getPort();
            try (SSLSocket client = (SSLSocket) certs.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
                TlsRecorder h = new TlsRecorder();
                loop.adopt(f.track(acceptor.accept()), serverTls(), h);
                client.getOutputStream().write("adopted".getBytes(StandardCharsets.US_ASCII));
                assertEquals("adopted", new String(client.getInputStream().readNBytes(7), StandardCharsets.US_ASCII));
                assertTrue(h.protocol.startsWith("TLSv1."), h.protocol);
                client.close();
                assertTrue(h.closed.await(10, TimeUnit.SECONDS), "closed after the client left");
            }
            LoopFixture.await(() -> loop.stats().openConnections() == 0, "adopted connection closed");
        }
    }

    /** Echoes, and records the TLS protocol agreed ("none" for a plain connection). */
    private static final class TlsRecorder extends RecordingHandler {
        volatile String protocol = "";

        @Override
        public void onOpen(Connection c) {
            protocol = c.tlsSession() == null ? "none" : c.tlsSession().getProtocol();
            super.onOpen(c);
        }
    }
}
