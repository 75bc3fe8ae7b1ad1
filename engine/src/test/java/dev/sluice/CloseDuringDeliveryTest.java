package dev.sluice;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A handler may close its connection from inside {@code onData} and then go on reading the bytes it was
 * handed (a line protocol's "quit" in the middle of a read does exactly this): the close must not touch
 * the buffer being delivered, whether it is the loop's read buffer or the connection's held input.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CloseDuringDeliveryTest {

    @Test
    void shouldLeaveTheReadBufferAloneWhenTheHandlerClosesInsideOnData() throws Exception {
        try (LoopFixture f = new LoopFixture("close-in-read")) {
            EventLoop loop = f.startLoop();
            List<String> seen = new CopyOnWriteArrayList<>();
            RecordingHandler server = new RecordingHandler() {
                @Override
                public void onData(Connection c, ByteBuffer data) {
                    c.close(); // nothing pending: the lingering close starts inside this call
                    seen.add(StandardCharsets.US_ASCII.decode(data).toString());
                }
            };
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> server);
            SocketChannel client = f.connect(l.localAddress());
            Bytes.writeFully(client, "hello".getBytes(StandardCharsets.US_ASCII));

            assertEquals(0, Bytes.readToEof(client, 0).length, "the server closes (FIN) without a reply");
            client.close();
            assertTrue(server.closed.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("hello"), seen, "the handler saw exactly the bytes read, after its close()");
            assertEquals(CloseReason.LOCAL, server.closeReason);
        }
    }

    @Test
    void shouldLeaveHeldInputAloneWhenTheHandlerClosesInsideOnData() throws Exception {
        try (LoopFixture f = new LoopFixture("close-in-held")) {
            EventLoop loop = f.startLoop();
            List<String> seen = new CopyOnWriteArrayList<>();
            RecordingHandler server = new RecordingHandler() {
                @Override
                public void onData(Connection c, ByteBuffer data) {
                    if (data.remaining() < 10) {
                        return; // keep it: the next call is handed the connection's held-input buffer
                    }
                    c.close();
                    seen.add(StandardCharsets.US_ASCII.decode(data).toString());
                }
            };
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> server);
            SocketChannel client = f.connect(l.localAddress());
            Bytes.writeFully(client, "hello".getBytes(StandardCharsets.US_ASCII));
            LoopFixture.await(() -> loop.stats().bufferedInputBytes() == 5, "the first five bytes held");
            Bytes.writeFully(client, "world".getBytes(StandardCharsets.US_ASCII));

            assertArrayEquals(new byte[0], Bytes.readToEof(client, 0), "the server closes (FIN) without a reply");
            client.close();
            assertTrue(server.closed.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("helloworld"), seen, "the handler saw exactly the held and new bytes");
            assertEquals(CloseReason.LOCAL, server.closeReason);
        }
    }

    @Test
    void shouldLeaveTheReadBufferAloneWhenTheHandlerClosesAnotherConnectionInsideOnData() throws Exception {
        try (LoopFixture f = new LoopFixture("close-other-in-read")) {
            EventLoop loop = f.startLoop();
            List<String> seen = new CopyOnWriteArrayList<>();
            List<Connection> accepted = new CopyOnWriteArrayList<>();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    accepted.add(c);
                }

                @Override
                public void onData(Connection c, ByteBuffer data) {
                    for (Connection other : accepted) {
                        if (other != c) {
                            other.close(); // its lingering close must not read into the buffer we hold
                        }
                    }
                    seen.add(StandardCharsets.US_ASCII.decode(data).toString());
                }
            });
            SocketChannel idle = f.connect(l.localAddress());
            SocketChannel talker = f.connect(l.localAddress());
            LoopFixture.await(() -> accepted.size() == 2, "both accepted");
            Bytes.writeFully(talker, "hello".getBytes(StandardCharsets.US_ASCII));

            assertEquals(0, Bytes.readToEof(idle, 0).length, "the other connection is closed (FIN)");
            // The FIN goes out inside close(), before onData records what it saw: wait for the record.
            LoopFixture.await(() -> !seen.isEmpty(), "onData returned");
            assertEquals(List.of("hello"), seen, "the handler saw exactly the bytes read");
        }
    }
}
