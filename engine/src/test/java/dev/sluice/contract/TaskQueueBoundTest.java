package dev.sluice.contract;

import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Item 7 of issue 10: the cross-thread queue is bounded, refusal is typed, and in-flight writes count. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskQueueBoundTest {

    @Test
    void shouldRefuseTasksWithATypedErrorWhenTheQueueIsFullAndRunEveryOneItTook() throws Exception {
        try (LoopFixture f = new LoopFixture("queue-bound")) {
            EventLoop loop = f.startLoop();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            loop.execute(() -> {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(blocked.await(10, TimeUnit.SECONDS));
            AtomicLong ran = new AtomicLong();
            long accepted = 0;
            RejectedExecutionException refused = null;
            for (int i = 0; i < 2_000_000 && refused == null; i++) {
                try {
                    loop.execute(ran::incrementAndGet);
                    accepted++;
                } catch (RejectedExecutionException e) {
                    refused = e;
                }
            }
            assertTrue(refused != null, "2,000,000 tasks queued behind a blocked loop, none refused");
            assertEquals(65_536, accepted, "the default capacity, exactly");
            assertEquals(1, loop.stats().tasksRejected());
            assertEquals(65_536, loop.stats().taskQueueDepth());
            release.countDown();
            CountDownLatch last = new CountDownLatch(1);
            while (true) {
                try {
                    loop.execute(last::countDown);
                    break;
                } catch (RejectedExecutionException stillFull) {
                    Thread.onSpinWait();
                }
            }
            assertTrue(last.await(10, TimeUnit.SECONDS));
            assertEquals(accepted, ran.get(), "every accepted task ran");
        }
    }

    @Test
    void shouldCountWritesFromOtherThreadsInPendingOutputBeforeTheyReachTheLoop() throws Exception {
        try (LoopFixture f = new LoopFixture("inflight")) {
            EventLoop loop = f.startLoop();
            RecordingHandler h = new RecordingHandler();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> h);
            f.connect(l.localAddress());
            assertTrue(h.opened.await(10, TimeUnit.SECONDS));
            CountDownLatch written = new CountDownLatch(1);
            CountDownLatch seen = new CountDownLatch(1);
            long[] pending = new long[1];
            AtomicBoolean writable = new AtomicBoolean(true);
            loop.execute(() -> {
                try {
                    written.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                pending[0] = h.connection.pendingOutputBytes();
                writable.set(h.connection.isWritable());
                seen.countDown();
            });
            assertTrue(h.connection.write(ByteBuffer.allocate(1 << 20))); // queued behind the task above
            written.countDown();
            assertTrue(seen.await(10, TimeUnit.SECONDS));
            assertEquals(1 << 20, pending[0], "a write still in the task queue is pending output");
            assertFalse(writable.get(), "1 MiB in flight is above the high watermark");
        }
    }

    @Test
    void shouldFailLoudlyWhenALoopOnlyMethodIsCalledFromAnotherThread() throws Exception {
        try (LoopFixture f = new LoopFixture("loop-only")) {
            EventLoop loop = f.startLoop();
            RecordingHandler h = new RecordingHandler();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> h);
            f.connect(l.localAddress());
            assertTrue(h.opened.await(10, TimeUnit.SECONDS));
            assertThrows(IllegalStateException.class, () -> h.connection.pauseReading());
            assertThrows(IllegalStateException.class, () -> h.connection.writeCopy(ByteBuffer.allocate(1)));
            assertThrows(IllegalStateException.class, () -> h.connection.setDeadline(0));
            assertThrows(IllegalStateException.class, loop::nowNs);
        }
    }
}
