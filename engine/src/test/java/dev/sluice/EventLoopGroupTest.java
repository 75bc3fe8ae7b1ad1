package dev.sluice;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The group's own API: naming, placement, fallback, tasks, stats. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventLoopGroupTest {

    @Test
    void shouldNameEachLoopThreadAfterItsIndexAndHandThemOutInTurn() throws Exception {
        try (LoopFixture f = new LoopFixture("names")) {
            EventLoopGroup group = f.startGroup(3, GroupListenMode.HAND_OFF);
            assertEquals(3, group.size());
            Set<String> names = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                EventLoop loop = group.loop(i);
                CompletableFuture<String> name = new CompletableFuture<>();
                loop.execute(() -> name.complete(Thread.currentThread().getName()));
                assertEquals("test-loop-names-" + i, name.get(10, TimeUnit.SECONDS));
                names.add(name.get());
            }
            assertEquals(3, names.size());
            EventLoop first = group.next();
            assertSame(group.loop((group.loops().indexOf(first) + 1) % 3), group.next(), "round robin");
        }
    }

    @Test
    void shouldFallBackToHandOffAndSayWhyWhereReusePortIsNotSupported() throws Exception {
        try (LoopFixture f = new LoopFixture("fallback")) {
            EventLoopGroup group = f.adopt(EventLoopGroup.start(
                    new GroupConfig(2, f.config(), GroupListenMode.REUSE_PORT), () -> false));
            GroupListener listener = group.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), RecordingHandler::new);
            assertSame(GroupListenMode.HAND_OFF, listener.mode());
            assertTrue(listener.fallbackReason().orElseThrow().contains("SO_REUSEPORT"));
            SocketChannel ch = f.connect(listener.localAddress());
            ch.write(ByteBuffer.wrap("hi".getBytes()));
            assertArrayEquals("hi".getBytes(), Bytes.readExactly(ch, 2), "the fallback serves");
        }
    }

    @Test
    void shouldReportNoFallbackWhenReusePortIsUsed() throws Exception {
        assertTrue(EventLoopGroup.reusePortSupported(), "Linux supports SO_REUSEPORT");
        try (LoopFixture f = new LoopFixture("reuseport")) {
            EventLoopGroup group = f.startGroup(2, GroupListenMode.REUSE_PORT);
            GroupListener listener = group.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), RecordingHandler::new);
            assertSame(GroupListenMode.REUSE_PORT, listener.mode());
            assertTrue(listener.fallbackReason().isEmpty());
            assertTrue(listener.localAddress().getPort() > 0);
        }
    }

    @Test
    void shouldSpreadConnectsFromOneThreadEvenlyOverTheLoops() throws Exception {
        try (LoopFixture f = new LoopFixture("connects")) {
            EventLoopGroup server = f.startGroup(1, GroupListenMode.HAND_OFF);
            Listener listener = server.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), RecordingHandler::new);
            try (LoopFixture cf = new LoopFixture("connects-client")) {
                EventLoopGroup clients = cf.startGroup(4, GroupListenMode.HAND_OFF);
                List<RecordingHandler> handlers = new ArrayList<>();
                for (int i = 0; i < 200; i++) { // faster than the loops register them: in-flight counts decide
                    RecordingHandler h = new RecordingHandler();
                    handlers.add(h);
                    clients.connect(listener.localAddress(), ConnectionConfig.defaults(), h);
                }
                for (RecordingHandler h : handlers) {
                    assertTrue(h.opened.await(10, TimeUnit.SECONDS));
                }
                // Within a few of 50 each, not exactly: a connection counts twice for the instant between
                // its registration and the end of its start task, so a tie can break the other way.
                for (int i = 0; i < 4; i++) {
                    long n = clients.loop(i).stats().openConnections();
                    assertTrue(Math.abs(n - 50) <= 50 / 4, "loop " + i + " has " + n + ", mean 50");
                }
                assertEquals(200, clients.stats().openConnections());
                assertEquals(200, clients.stats().connects());
            }
        }
    }

    @Test
    void shouldCallAPerLoopFactoryOnlyOnItsOwnLoop() throws Exception {
        try (LoopFixture f = new LoopFixture("per-loop")) {
            EventLoopGroup group = f.startGroup(2, GroupListenMode.HAND_OFF);
            List<String> wrong = new CopyOnWriteArrayList<>();
            CountDownLatch made = new CountDownLatch(4);
            GroupListener listener = group.listenPerLoop(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), loop -> () -> {
                if (!loop.inEventLoop()) {
                    wrong.add(Thread.currentThread().getName());
                }
                made.countDown();
                return new RecordingHandler();
            });
            for (int i = 0; i < 4; i++) {
                f.connect(listener.localAddress());
            }
            assertTrue(made.await(10, TimeUnit.SECONDS));
            assertEquals(List.of(), wrong);
            assertEquals(4, listener.acceptedOn(0) + listener.acceptedOn(1));
            assertTrue(listener.acceptedOn(0) >= 1 && listener.acceptedOn(1) >= 1, "both loops made handlers");
        }
    }

    @Test
    void shouldSumTheLoopsStatsSlotBySlot() throws Exception {
        try (LoopFixture f = new LoopFixture("stats")) {
            EventLoopGroup group = f.startGroup(2, GroupListenMode.HAND_OFF);
            GroupListener listener = group.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), RecordingHandler::new);
            byte[] msg = new byte[1000];
            for (int i = 0; i < 4; i++) {
                SocketChannel ch = f.connect(listener.localAddress());
                ch.write(ByteBuffer.wrap(msg));
                Bytes.readExactly(ch, msg.length);
            }
            // Counters are eventually consistent across loops: the acceptor counts an accept after the
            // hand-off, so the target may have echoed before loop 0's count shows it.
            LoopFixture.await(() -> group.stats().bytesWritten() == 4000 && group.stats().accepts() == 4,
                    "every echo and accept counted");
            List<LoopStats> each = group.loopStats();
            LoopStats sum = group.stats();
            assertEquals(each.get(0).bytesRead() + each.get(1).bytesRead(), sum.bytesRead());
            assertEquals(4000, sum.bytesRead());
            assertEquals(4, sum.openConnections());
            assertEquals(2, each.get(0).openConnections(), "two each");
            assertEquals(4, sum.accepts(), "accepts count on the acceptor");
            assertEquals(4, each.get(0).accepts());
        }
    }

    @Test
    void shouldRunTasksAndTimersOnTheGroupsLoopsAndEndTogether() throws Exception {
        try (LoopFixture f = new LoopFixture("tasks")) {
            EventLoopGroup group = f.startGroup(2, GroupListenMode.HAND_OFF);
            Set<String> ran = java.util.concurrent.ConcurrentHashMap.newKeySet();
            CountDownLatch done = new CountDownLatch(4);
            for (int i = 0; i < 2; i++) {
                group.execute(() -> {
                    ran.add(Thread.currentThread().getName());
                    done.countDown();
                });
                group.schedule(() -> {
                    ran.add(Thread.currentThread().getName());
                    done.countDown();
                }, Duration.ofMillis(1));
            }
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(Set.of("test-loop-tasks-0", "test-loop-tasks-1"), ran);
            group.shutdownGracefully(Duration.ofSeconds(1));
            assertTrue(group.awaitTermination(Duration.ofSeconds(10)));
            assertTrue(group.isTerminated());
            assertThrows(IllegalStateException.class,
                    () -> group.connect(LoopFixture.ANY_LOOPBACK, ConnectionConfig.defaults(), new RecordingHandler()));
            assertFalse(group.loop(0).inEventLoop());
        }
    }
}
