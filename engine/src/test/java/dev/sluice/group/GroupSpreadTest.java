package dev.sluice.group;

import dev.sluice.EventLoopGroup;
import dev.sluice.GroupListenMode;
import dev.sluice.GroupListener;
import dev.sluice.ListenerConfig;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.Fds;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * 2,000 connections over 4 loops: every connection's callbacks run on one thread, its loop's; the
 * connections spread over the loops (asserted for the hand-off, reported for SO_REUSEPORT, whose
 * spread is the kernel's hash); and closing the group leaves no channel, key or thread.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupSpreadTest {
    private static final int LOOPS = 4;
    private static final int CONNECTIONS = 2_000;

    @ParameterizedTest
    @EnumSource(GroupListenMode.class)
    void shouldRunEveryConnectionOnOneLoopThreadAndSpreadThemOverTheLoops(GroupListenMode mode) throws Exception {
        // Each connection is two descriptors here, the client's and the server's.
        assumeTrue(Fds.limit() >= 2L * CONNECTIONS + 200, "needs ulimit -n of at least " + (2 * CONNECTIONS + 200));
        Queue<OneThreadEcho> handlers = new ConcurrentLinkedQueue<>();
        try (LoopFixture f = new LoopFixture("spread-" + mode)) {
            EventLoopGroup group = f.startGroup(LOOPS, mode);
            GroupListener listener = group.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> {
                OneThreadEcho h = new OneThreadEcho();
                handlers.add(h);
                return h;
            });
            assertEquals(mode, listener.mode(), "SO_REUSEPORT is supported on Linux: no fallback expected");

            List<SocketChannel> clients = new ArrayList<>(CONNECTIONS);
            for (int i = 0; i < CONNECTIONS; i++) {
                clients.add(f.connect(listener.localAddress()));
            }
            byte[] ping = "ping-1234".getBytes();
            for (SocketChannel ch : clients) {
                ch.write(ByteBuffer.wrap(ping));
            }
            for (SocketChannel ch : clients) {
                assertArrayEquals(ping, Bytes.readExactly(ch, ping.length)); // served, by whichever loop
            }
            LoopFixture.await(() -> group.stats().openConnections() == CONNECTIONS, "every connection open");

            Map<String, Integer> perThread = new HashMap<>();
            for (OneThreadEcho h : handlers) {
                assertNull(h.violation, h.violation);
                assertNotNull(h.owner);
                perThread.merge(h.owner.getName(), 1, Integer::sum);
            }
            assertEquals(CONNECTIONS, handlers.size());
            long[] perLoop = new long[LOOPS];
            StringBuilder report = new StringBuilder(mode + " over " + LOOPS + " loops:");
            for (int i = 0; i < LOOPS; i++) {
                perLoop[i] = group.loop(i).stats().openConnections();
                report.append(' ').append(perLoop[i]);
                assertEquals(perLoop[i], listener.acceptedOn(i), "the listener's count for loop " + i);
                assertEquals(perLoop[i], (long) perThread.getOrDefault("test-loop-spread-" + mode + "-" + i, 0),
                        "connections whose callbacks ran on loop " + i + "'s thread");
            }
            System.out.println(report); // the SO_REUSEPORT spread is reported, not asserted: it is a hash
            assertEquals(CONNECTIONS, listener.acceptedCount());
            assertEquals(CONNECTIONS, listener.openConnections());
            if (mode == GroupListenMode.HAND_OFF) {
                double mean = CONNECTIONS / (double) LOOPS;
                for (int i = 0; i < LOOPS; i++) {
                    assertTrue(Math.abs(perLoop[i] - mean) <= 0.25 * mean,
                            "loop " + i + " has " + perLoop[i] + " connections, mean " + mean);
                }
            }

            // The server closes first (TIME_WAIT stays on its side, not on 2,000 client ports).
            group.close();
            assertTrue(group.isTerminated());
            for (OneThreadEcho h : handlers) {
                assertTrue(h.closed, "every connection heard onClose");
                assertNull(h.violation, h.violation);
            }
            assertEquals(0, listener.openConnections());
        }
    }
}
