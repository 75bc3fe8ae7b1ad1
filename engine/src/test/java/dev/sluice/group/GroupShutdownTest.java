package dev.sluice.group;

import dev.sluice.CloseReason;
import dev.sluice.EventLoopGroup;
import dev.sluice.GroupListenMode;
import dev.sluice.GroupListener;
import dev.sluice.ListenerConfig;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A graceful shutdown of the whole group while every connection streams at full speed: each loop stops
 * reading, flushes and closes, and every byte the server read before the shutdown began comes back,
 * in order, before the client sees EOF.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GroupShutdownTest {
    private static final int LOOPS = 4;
    private static final int CLIENTS = 8;
    private static final int CHUNK = 4096;
    private static final long BEFORE_SHUTDOWN = 256 * 1024;

    /** Byte {@code i} of every stream: a position pattern, so a lost, doubled or reordered byte shows. */
    private static byte patternAt(long i) {
        return (byte) (i * 31 + (i >>> 8));
    }

    /** One client: a writer streaming the pattern until told to stop, a reader checking it until EOF. */
    private static final class Client {
        final SocketChannel ch;
        final AtomicLong received = new AtomicLong();
        final CountDownLatch warmedUp = new CountDownLatch(1);
        volatile boolean stop;
        volatile String corruption;

        Client(SocketChannel ch) {
            this.ch = ch;
        }

        void write() {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            long sent = 0;
            try {
                while (!stop) {
                    buf.clear();
                    for (int i = 0; i < CHUNK; i++) {
                        buf.put(patternAt(sent + i));
                    }
                    buf.flip();
                    while (buf.hasRemaining() && !stop) {
                        sent += ch.write(buf);
                    }
                }
            } catch (IOException expected) {
                // The reader shut our output down after EOF, or the server reset a lingering close.
            }
        }

        void read() throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long n = 0;
            int r;
            while ((r = ch.read(buf)) >= 0) {
                buf.flip();
                for (int i = 0; i < r; i++, n++) {
                    if (buf.get() != patternAt(n) && corruption == null) {
                        corruption = "byte " + n + " differs";
                    }
                }
                buf.clear();
                received.set(n);
                if (n >= BEFORE_SHUTDOWN) {
                    warmedUp.countDown();
                }
            }
            stop = true;
            ch.shutdownOutput(); // our FIN ends the server's lingering close; wakes a writer blocked in write
        }
    }

    @ParameterizedTest
    @EnumSource(GroupListenMode.class)
    void shouldEchoEveryByteReadBeforeAGracefulGroupShutdownBegan(GroupListenMode mode) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2 * CLIENTS);
        Queue<OneThreadEcho> handlers = new ConcurrentLinkedQueue<>();
        try (LoopFixture f = new LoopFixture("graceful-" + mode)) {
            EventLoopGroup group = f.startGroup(LOOPS, mode);
            GroupListener listener = group.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> {
                OneThreadEcho h = new OneThreadEcho();
                handlers.add(h);
                return h;
            });
            List<Client> clients = new ArrayList<>();
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Client c = new Client(f.connect(listener.localAddress()));
                clients.add(c);
                work.add(threads.submit(c::write));
                work.add(threads.submit(() -> {
                    c.read();
                    return null;
                }));
            }
            for (Client c : clients) {
                assertTrue(c.warmedUp.await(30, TimeUnit.SECONDS), "every connection under load first");
            }

            group.shutdownGracefully(Duration.ofSeconds(30));
            assertTrue(group.awaitTermination(Duration.ofSeconds(40)), "the group ended");
            for (Future<?> w : work) {
                w.get(10, TimeUnit.SECONDS);
            }

            assertEquals(CLIENTS, handlers.size());
            long total = 0;
            for (Client c : clients) {
                int port = ((InetSocketAddress) c.ch.getLocalAddress()).getPort();
                OneThreadEcho h = handlers.stream().filter(x -> x.remotePort == port).findFirst().orElseThrow();
                assertNull(c.corruption, c.corruption);
                assertNull(h.violation, h.violation);
                assertSame(CloseReason.SHUTDOWN, h.closeReason);
                assertEquals(h.bytesIn.get(), c.received.get(), "every byte the server read came back, port " + port);
                total += c.received.get();
            }
            assertEquals(0, group.stats().closes(CloseReason.CLOSE_TIMEOUT), "no close gave up flushing");
            System.out.println("graceful " + mode + ": " + total + " bytes echoed over " + CLIENTS + " connections");
        } finally {
            threads.shutdownNow();
        }
    }
}
