package dev.sluice;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadingTest {

    @Test
    void shouldKeepForeignThreadWritesInOrderWithLoopWrites() throws Exception {
        try (LoopFixture f = new LoopFixture("foreign")) {
            EventLoop loop = f.startLoop();
            RecordingHandler server = new RecordingHandler();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> server);
            SocketChannel client = f.connect(l.localAddress());
            assertTrue(server.opened.await(10, TimeUnit.SECONDS));
            Connection c = server.connection;

            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                String foreign = "f" + i + ",";
                assertTrue(c.write(Bytes.ascii(foreign)));
                expected.append(foreign);
                if (i % 100 == 0) {
                    String onLoop = "L" + i + ",";
                    loop.execute(() -> {
                        assertTrue(loop.inEventLoop());
                        c.writeCopy(Bytes.ascii(onLoop)); // a loop-thread-only call
                    });
                    expected.append(onLoop);
                }
            }
            c.shutdownOutput();
            byte[] got = Bytes.readToEof(client, 1 << 20);
            assertEquals(expected.toString(), new String(got, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shouldRunTasksInOrderAndCoalesceWakeups() throws Exception {
        try (LoopFixture f = new LoopFixture("tasks")) {
            EventLoop loop = f.startLoop();
            int n = 10_000;
            AtomicInteger next = new AtomicInteger();
            AtomicBoolean inOrder = new AtomicBoolean(true);
            CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < n; i++) {
                int expect = i;
                loop.execute(() -> {
                    if (next.getAndIncrement() != expect) {
                        inOrder.set(false);
                    }
                    if (expect == n - 1) {
                        done.countDown();
                    }
                });
            }
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertTrue(inOrder.get());
            LoopStats s = loop.stats();
            assertTrue(s.tasks() >= n);
            assertTrue(s.wakeups() < n / 10, "wakeups coalesced: " + s.wakeups() + " for " + n + " tasks");
            assertFalse(loop.inEventLoop());
        }
    }

    @Test
    void shouldNeverLoseAWakeupWhileSpinningBeforeParking() throws Exception {
        try (LoopFixture f = new LoopFixture("spin")) {
            // maxSelectWait of 10 minutes: a lost wakeup would leave a task waiting that long.
            EventLoop loop = EventLoop.start(f.config().withSpinSelects(50).withMaxSelectWaitNs(600_000_000_000L));
            f.adopt(loop);
            for (int i = 0; i < 2000; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                loop.execute(ran::countDown);
                assertTrue(ran.await(10, TimeUnit.SECONDS), "task " + i + " waited: its wakeup was lost");
            }
            assertTrue(loop.stats().selectNows() > 0, "the loop spun");
        }
    }

    @Test
    void shouldRunScheduledTaskOnceAndNotRunCancelledOne() throws Exception {
        try (LoopFixture f = new LoopFixture("schedule")) {
            ManualClock clock = new ManualClock(0);
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(10_000_000L));
            ByteArrayOutputStream ran = new ByteArrayOutputStream();
            loop.schedule(() -> ran.write('a'), 1000);
            Scheduled cancelled = loop.schedule(() -> ran.write('x'), 1000);
            loop.schedule(() -> ran.write('b'), 1000); // same instant: arm order
            cancelled.cancel();
            loop.runOnce(999);
            assertEquals("", ran.toString());
            loop.runOnce(1000);
            assertEquals("ab", ran.toString());
            loop.runOnce(5000);
            assertEquals("ab", ran.toString());
            assertEquals(2, loop.stats().timersFired());
            loop.close();
        }
    }

    @Test
    void shouldRefuseWritesAfterCloseAndCountThem() throws Exception {
        try (LoopFixture f = new LoopFixture("dropped")) {
            EventLoop loop = f.startLoop();
            CountDownLatch checked = new CountDownLatch(1);
            AtomicBoolean refused = new AtomicBoolean();
            RecordingHandler server = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    c.close();
                    refused.set(!c.write(ByteBuffer.allocate(10)));
                    checked.countDown();
                }
            };
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> server);
            SocketChannel client = f.connect(l.localAddress());
            assertTrue(checked.await(10, TimeUnit.SECONDS));
            assertTrue(refused.get());
            assertEquals(0, Bytes.readToEof(client, 10).length);
            assertEquals(1, loop.stats().writesDropped());
        }
    }
}
