package dev.sluice;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CloseReasonTest {

    /** An echo server on a started loop, recording every handler it makes. */
    private static final class Server {
        final EventLoop loop;
        final Listener listener;
        final Queue<RecordingHandler> handlers = new ConcurrentLinkedQueue<>();

        Server(LoopFixture f, java.util.function.Supplier<RecordingHandler> factory) throws Exception {
            loop = f.startLoop();
            listener = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> {
                RecordingHandler h = factory.get();
                handlers.add(h);
                return h;
            });
        }

        /** Proves the loop still serves: a fresh connection echoes byte-exact. */
        void assertStillServes(LoopFixture f) throws Exception {
            SocketChannel other = f.connect(listener.localAddress());
            byte[] msg = Bytes.random(42, 100_000);
            Bytes.writeFully(other, msg);
            assertArrayEquals(msg, Bytes.readExactly(other, msg.length));
            other.close();
        }
    }

    @Test
    void shouldCloseWithPeerClosedWhenPeerHalfClosesAndLetTheReplyThrough() throws Exception {
        try (LoopFixture f = new LoopFixture("halfclose")) {
            // Answers a half-close: reply after the peer's FIN, then close. The peer still reads it.
            Server s = new Server(f, () -> new RecordingHandler() {
                @Override
                public void onInputClosed(Connection c) {
                    c.write(Bytes.ascii("bye after your FIN"));
                    c.close();
                }
            });
            SocketChannel client = f.connect(s.listener.localAddress());
            client.write(Bytes.ascii("hello"));
            client.shutdownOutput();
            assertEquals("hellobye after your FIN", new String(Bytes.readToEof(client, 100), StandardCharsets.US_ASCII));
            RecordingHandler h = s.handlers.peek();
            assertTrue(h.closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.PEER_CLOSED, h.closeReason);
            s.assertStillServes(f);
        }
    }

    @Test
    void shouldCloseWithPeerResetWhenPeerSendsRst() throws Exception {
        try (LoopFixture f = new LoopFixture("reset")) {
            Server s = new Server(f, RecordingHandler::new);
            SocketChannel client = f.connect(s.listener.localAddress());
            Bytes.writeFully(client, new byte[] {1, 2, 3});
            Bytes.readExactly(client, 3);
            client.setOption(StandardSocketOptions.SO_LINGER, 0);
            client.close(); // RST
            RecordingHandler h = s.handlers.peek();
            assertTrue(h.closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.PEER_RESET, h.closeReason);
            s.assertStillServes(f);
        }
    }

    @Test
    void shouldCloseOnlyTheFailingConnectionWithHandlerErrorAndReportIt() throws Exception {
        try (LoopFixture f = new LoopFixture("handler-error")) {
            IllegalStateException boom = new IllegalStateException("boom");
            Server s = new Server(f, () -> new RecordingHandler() {
                @Override
                public void onData(Connection c, ByteBuffer data) {
                    if (data.get(data.position()) == 'X') {
                        throw boom;
                    }
                    super.onData(c, data);
                }
            });
            SocketChannel healthy = f.connect(s.listener.localAddress());
            SocketChannel failing = f.connect(s.listener.localAddress());
            Bytes.writeFully(healthy, "ok".getBytes());
            assertArrayEquals("ok".getBytes(), Bytes.readExactly(healthy, 2));

            Bytes.writeFully(failing, "X".getBytes());
            assertEquals(0, Bytes.readToEof(failing, 10).length, "failing connection closed");
            LoopFixture.await(() -> s.handlers.stream().anyMatch(h -> h.closeReason == CloseReason.HANDLER_ERROR), "handler error close");
            RecordingHandler failed = s.handlers.stream().filter(h -> h.closeReason != null).findFirst().orElseThrow();
            assertSame(boom, failed.closeCause);
            assertEquals(1, f.errors.size());
            assertSame(boom, f.errors.get(0));
            f.errors.clear(); // expected and checked

            Bytes.writeFully(healthy, "still here".getBytes());
            assertArrayEquals("still here".getBytes(), Bytes.readExactly(healthy, 10));
            assertEquals(1, s.loop.stats().handlerErrors());
            s.assertStillServes(f);
        }
    }

    @Test
    void shouldSurviveHandlerThatThrowsInOnClose() throws Exception {
        try (LoopFixture f = new LoopFixture("onclose-error")) {
            Server s = new Server(f, () -> new RecordingHandler() {
                @Override
                public void onClose(Connection c, CloseReason reason, Throwable cause) {
                    super.onClose(c, reason, cause);
                    throw new IllegalStateException("onClose failed");
                }
            });
            SocketChannel client = f.connect(s.listener.localAddress());
            client.close();
            LoopFixture.await(() -> f.errors.size() == 1, "error reported");
            assertEquals("onClose failed", f.errors.get(0).getMessage());
            f.errors.clear();
            s.assertStillServes(f); // closes its connection, whose onClose throws too
            LoopFixture.await(() -> f.errors.size() == 1, "second error reported");
            f.errors.clear();
        }
    }

    @Test
    void shouldResetPeerOnAbort() throws Exception {
        try (LoopFixture f = new LoopFixture("abort")) {
            Server s = new Server(f, () -> new RecordingHandler() {
                @Override
                public void onData(Connection c, ByteBuffer data) {
                    c.write(ByteBuffer.allocate(1 << 20)); // pending output that abort discards
                    c.abort();
                    data.position(data.limit());
                }
            });
            SocketChannel client = f.connect(s.listener.localAddress());
            Bytes.writeFully(client, new byte[] {1});
            java.io.IOException reset = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> Bytes.readToEof(client, 2 << 20));
            assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
            RecordingHandler h = s.handlers.peek();
            assertTrue(h.closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.LOCAL, h.closeReason);
        }
    }
}
