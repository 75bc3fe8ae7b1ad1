package dev.sluice;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EchoTest {
    private static final int EIGHT_MIB = 8 * 1024 * 1024;

    @Test
    void shouldEchoEightMiBByteExactOverOneConnection() throws Exception {
        try (LoopFixture f = new LoopFixture("echo1")) {
            EventLoop loop = f.startLoop();
            RecordingHandler server = new RecordingHandler();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> server);

            byte[] sent = Bytes.random(1, EIGHT_MIB);
            byte[] got = echoThrough(f.connect(l.localAddress()), sent);

            assertArrayEquals(sent, got);
            assertTrue(server.closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.PEER_CLOSED, server.closeReason);
            LoopStats s = loop.stats();
            assertEquals(EIGHT_MIB, s.bytesRead());
            assertEquals(EIGHT_MIB, s.bytesWritten());
            assertEquals(0, s.pendingOutputBytes());
            assertEquals(0, s.bufferedInputBytes(), "an idle connection holds no input buffer");
        }
    }

    @Test
    void shouldEchoEightMiBByteExactOnEachOfTwoHundredConcurrentConnections() throws Exception {
        int connections = 200;
        int perConnection = EIGHT_MIB;
        ExecutorService pool = Executors.newFixedThreadPool(2 * connections);
        try (LoopFixture f = new LoopFixture("echo200")) {
            EventLoop loop = f.startLoop();
            Queue<RecordingHandler> handlers = new ConcurrentLinkedQueue<>();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> {
                RecordingHandler h = new RecordingHandler();
                handlers.add(h);
                return h;
            });
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = f.connect(l.localAddress());
                byte[] sent = Bytes.random(100 + i, perConnection);
                results.add(pool.submit(() -> java.util.Arrays.equals(sent, echoThrough(ch, sent, pool))));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get(100, TimeUnit.SECONDS), "echo differs from what was sent");
            }
            LoopFixture.await(() -> handlers.stream().allMatch(h -> h.closed.getCount() == 0), "all closes");
            assertEquals(connections, handlers.size());
            handlers.forEach(h -> assertEquals(CloseReason.PEER_CLOSED, h.closeReason));
            assertEquals((long) connections * perConnection, loop.stats().bytesWritten());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writes {@code data} from another thread, half-closes, and reads the echo until EOF. */
    static byte[] echoThrough(SocketChannel ch, byte[] data) throws Exception {
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            return echoThrough(ch, data, writer);
        } finally {
            writer.shutdownNow();
        }
    }

    static byte[] echoThrough(SocketChannel ch, byte[] data, ExecutorService writerPool) throws Exception {
        Future<?> w = writerPool.submit(() -> {
            Bytes.writeFully(ch, data);
            ch.shutdownOutput();
            return null;
        });
        byte[] got = Bytes.readToEof(ch, data.length);
        w.get();
        return got;
    }
}
