package dev.sluice.reliability;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.EventLoop;
import dev.sluice.ListenerConfig;
import dev.sluice.LoopStats;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.Fds;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Churn: 20,000 connect/echo/close cycles leave nothing behind: open descriptors ({@code /proc/self/fd})
 * and registered selection keys return to what they were before.
 *
 * <p>TIME_WAIT: whoever sends the first FIN keeps the connection's 4-tuple in TIME_WAIT for 60 s. If the
 * clients closed first, 20,000 cycles would park 20,000 client ephemeral ports (Linux offers about 28,000)
 * and the run would exhaust them, for every process on the machine. So the server closes first: it echoes
 * a fixed-size message and then closes, the client reads to EOF and closes last. TIME_WAIT then lands on
 * the server's side, keyed by the listening port, and the client's ephemeral ports are free at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReliabilityChurnTest {
    private static final int MESSAGE = 64;
    private static final int WARM_UP = 1_000;
    private static final int CYCLES = 20_000;
    private static final int CLIENT_THREADS = 4;

    /** Echoes one message, then closes: the server sends the first FIN. */
    static final class EchoOnceThenClose extends RecordingHandler {
        @Override
        public void onData(Connection c, ByteBuffer data) {
            super.onData(c, data);
            if (bytesIn.get() >= MESSAGE) {
                c.close();
            }
        }
    }

    @Test
    void shouldReturnToBaselineDescriptorsAndKeysAfterTwentyThousandConnectEchoCloseCycles() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        try (LoopFixture f = new LoopFixture("churn")) {
            EventLoop loop = f.startLoop();
            // No handler objects kept: the test is about what the engine keeps.
            InetSocketAddress address = loop.listen(LoopFixture.ANY_LOOPBACK,
                    ListenerConfig.defaults(),
                    EchoOnceThenClose::new).localAddress();

            // Warm up, so that whatever the JVM opens lazily (classes, the JIT, thread stacks) is open.
            run(clients, address, WARM_UP);
            LoopFixture.await(() -> loop.stats().openConnections() == 0, "warm-up connections closed");
            long fdsBefore = Fds.open();
            int keysBefore = keysOnLoop(loop);
            LoopStats statsBefore = loop.stats();

            long start = System.nanoTime();
            run(clients, address, CYCLES);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            LoopFixture.await(() -> loop.stats().openConnections() == 0, "every connection closed");
            LoopStats statsAfter = loop.stats();
            assertEquals(CYCLES, statsAfter.accepts() - statsBefore.accepts());
            assertEquals(CYCLES, statsAfter.closes(CloseReason.LOCAL) - statsBefore.closes(CloseReason.LOCAL),
                    "each closed by the server after its echo: " + statsAfter);
            assertEquals(0, statsAfter.pendingOutputBytes());
            assertEquals(0, statsAfter.bufferedInputBytes());
            // Cancelled keys leave the selector at its next select: wait for that, not for time.
            LoopFixture.await(() -> keysOnLoop(loop) == keysBefore, "registered keys back to " + keysBefore);
            if (Fds.available()) {
                LoopFixture.await(() -> Fds.open() <= fdsBefore, "open descriptors back to " + fdsBefore);
            }
            assertTrue(elapsedMs < 40_000, CYCLES + " cycles took " + elapsedMs + " ms");
        } finally {
            clients.shutdownNow();
        }
    }

    /** {@code cycles} connect / write / read echo / read EOF / close cycles spread over the client threads. */
    private static void run(ExecutorService clients, InetSocketAddress address, int cycles) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < CLIENT_THREADS; t++) {
            int mine = cycles / CLIENT_THREADS + (t < cycles % CLIENT_THREADS ? 1 : 0);
            long seed = t;
            done.add(clients.submit(() -> {
                byte[] msg = Bytes.random(seed, MESSAGE);
                for (int i = 0; i < mine; i++) {
                    try (SocketChannel ch = SocketChannel.open(address)) {
                        Bytes.writeFully(ch, msg);
                        byte[] echo = Bytes.readToEof(ch, MESSAGE); // the server closes first
                        if (!Arrays.equals(msg, echo)) {
                            throw new AssertionError("echo differs in cycle " + i);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> d : done) {
            d.get(60, TimeUnit.SECONDS);
        }
    }

    /** {@link EventLoop#registeredKeys()} is loop-only: ask the loop. */
    private static int keysOnLoop(EventLoop loop) {
        CompletableFuture<Integer> keys = new CompletableFuture<>();
        loop.execute(() -> keys.complete(loop.registeredKeys()));
        return keys.join();
    }
}
