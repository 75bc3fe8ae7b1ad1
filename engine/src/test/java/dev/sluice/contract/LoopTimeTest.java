package dev.sluice.contract;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.ManualClock;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect 1 of issue 10: the loop's time must be read again when {@code select} returns, so whatever
 * woke the loop (an accept, a read, a task) is stamped with the time it happened, not the time the loop
 * went to sleep. A started loop runs on a {@link ManualClock}: the test moves the clock while the loop
 * sleeps, so every time the loop sees is one the test chose.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopTimeTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000 * MS;

    /**
     * Runs {@code check} on the loop after a whole timer phase that saw the clock as it is now: a task
     * schedules a zero-delay timer, which fires in that iteration's timer phase (after any deadline that
     * is due) and queues the check for the next iteration. A plain second task could run in the same
     * batch as the first, before the timers, and pass without testing anything.
     */
    private static <T> T onLoop(EventLoop loop, java.util.function.Supplier<T> check) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Object[] out = new Object[1];
        loop.execute(() -> loop.schedule(() -> loop.execute(() -> {
            out[0] = check.get();
            done.countDown();
        }), 0));
        assertTrue(done.await(10, TimeUnit.SECONDS));
        @SuppressWarnings("unchecked")
        T t = (T) out[0];
        return t;
    }

    @Test
    void shouldStartTheIdleClockOfAConnectionAcceptedAfterALongSleepAtTheAcceptTime() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (LoopFixture f = new LoopFixture("time-accept")) {
            EventLoop loop = f.adopt(EventLoop.start(f.config().withClock(clock)));
            RecordingHandler h = new RecordingHandler();
            ConnectionConfig cc = ConnectionConfig.defaults().withReadIdleTimeoutNs(400 * MS);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> h);
            onLoop(loop, () -> null); // the loop has registered the listener and sleeps at T0

            clock.set(T0 + 900 * MS); // the loop slept 900 ms; then a client connects
            f.connect(l.localAddress());
            assertTrue(h.opened.await(10, TimeUnit.SECONDS));

            clock.set(T0 + 1299 * MS); // 399 ms after the accept: not idle yet
            assertTrue(onLoop(loop, () -> h.connection.isOpen()), "closed before its idle timeout");
            assertNull(h.closeReason);

            clock.set(T0 + 1300 * MS);
            onLoop(loop, () -> null);
            assertTrue(h.closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.IDLE_TIMEOUT, h.closeReason);
        }
    }

    @Test
    void shouldMeasureScheduleDelaysAndDeadlinesFromTheTimeTheLoopWokeUp() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (LoopFixture f = new LoopFixture("time-schedule")) {
            EventLoop loop = f.adopt(EventLoop.start(f.config().withClock(clock)));
            AtomicLong nowInCallback = new AtomicLong();
            AtomicBoolean fired = new AtomicBoolean();
            RecordingHandler h = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    nowInCallback.set(c.loop().nowNs());
                    c.loop().schedule(() -> fired.set(true), 100 * MS);
                    super.onOpen(c); // counts down h.opened last, after the fields above are set
                }
            };
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> h);
            onLoop(loop, () -> null);

            clock.set(T0 + 700 * MS);
            f.connect(l.localAddress());
            assertTrue(h.opened.await(10, TimeUnit.SECONDS));
            assertEquals(T0 + 700 * MS, nowInCallback.get(), "the accept's callbacks see the time select returned");

            clock.set(T0 + 799 * MS);
            assertEquals(Boolean.FALSE, onLoop(loop, fired::get), "fired early: the delay ran from before the sleep");
            clock.set(T0 + 800 * MS);
            onLoop(loop, () -> null);
            assertTrue(onLoop(loop, fired::get));
        }
    }
}
