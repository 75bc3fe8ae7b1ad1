package dev.sluice.internal;

import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an idle connection keeps: no write queue once its output drained (the queue goes back to the
 * loop's {@link OutboundPool}), and the pool keeps no more spares than were in use at once, bounded.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleFootprintTest {

    @Test
    void shouldReuseSparesLastInFirstOutAndKeepNoMoreThanItsBound() {
        OutboundPool pool = new OutboundPool(2);
        OutboundBuffer a = pool.take();
        OutboundBuffer b = pool.take();
        OutboundBuffer c = pool.take();
        assertNotSame(a, b, "an empty pool makes a new queue each time");
        pool.give(a);
        pool.give(b);
        pool.give(c); // over the bound: left to the garbage collector
        assertEquals(2, pool.spares());
        assertSame(b, pool.take(), "the last given back is the first taken: still warm in the cache");
        assertSame(a, pool.take());
        assertEquals(0, pool.spares());
    }

    @Test
    void shouldHoldNoWriteQueueOnceAConnectionsOutputHasDrained() throws Exception {
        int connections = 40;
        int bytesEach = 256 * 1024; // more than one gather, so queues grow their arrays and the socket fills
        try (LoopFixture f = new LoopFixture("footprint")) {
            EventLoop loop = f.startLoop();
            Queue<SocketConnection> served = new ConcurrentLinkedQueue<>();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    served.add((SocketConnection) c);
                }

                @Override
                public void onData(Connection c, ByteBuffer data) {
                    c.writeCopy(data);
                }
            });
            List<SocketChannel> clients = new ArrayList<>();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                clients.add(f.connect(l.localAddress()));
                sent.add(Bytes.random(i, bytesEach));
            }
            for (int i = 0; i < connections; i++) { // one at a time: each echo completes before the next starts
                SocketChannel ch = clients.get(i);
                ch.write(ByteBuffer.wrap(sent.get(i)));
                ByteBuffer got = ByteBuffer.allocate(bytesEach);
                while (got.hasRemaining()) {
                    assertTrue(ch.read(got) >= 0, "the echo ended early");
                }
                assertArrayEquals(sent.get(i), got.array());
            }
            LoopFixture.await(() -> served.size() == connections, "every connection opened");

            CompletableFuture<String> check = new CompletableFuture<>();
            loop.execute(() -> {
                long holding = served.stream().filter(SocketConnection::holdsWriteQueue).count();
                int spares = served.peek().eventLoop().outbound.spares();
                check.complete(holding + " " + spares);
            });
            String[] holdingAndSpares = check.get(10, TimeUnit.SECONDS).split(" ");
            assertEquals("0", holdingAndSpares[0], "idle connections that once wrote still hold a write queue");
            int spares = Integer.parseInt(holdingAndSpares[1]);
            assertTrue(spares >= 1 && spares <= 2,
                    "echoes one after another need one queue at a time (two while one drains), but the pool kept " + spares);
        }
    }
}
