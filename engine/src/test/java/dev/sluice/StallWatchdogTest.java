package dev.sluice;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stall watchdog on a started loop whose clock is a {@link ManualClock}: a callback "runs" exactly
 * as long as it moves the clock, so threshold - 1 ns and threshold are told apart exactly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StallWatchdogTest {
    private static final long THRESHOLD = 50_000_000L;

    /** Moves the clock by {@code stallNs} inside each onData, then counts the call. */
    static final class Staller extends RecordingHandler {
        final ManualClock clock;
        volatile long stallNs;
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        Staller(ManualClock clock) {
            this.clock = clock;
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            data.position(data.limit());
            clock.advance(stallNs);
            calls.incrementAndGet();
        }
    }

    private static void roundOnLoop(EventLoop loop) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(done::countDown);
        assertTrue(done.await(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldReportACallbackOfTheThresholdOnceAndOneNanosecondShorterNever() throws Exception {
        ManualClock clock = new ManualClock(1_000_000_000L);
        try (LoopFixture f = new LoopFixture("stall-callback")) {
            EventLoop loop = f.adopt(EventLoop.start(f.config().withClock(clock).withStallThresholdNs(THRESHOLD)));
            Staller h = new Staller(clock);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> h);
            SocketChannel client = f.connect(l.localAddress());
            assertTrue(h.opened.await(10, TimeUnit.SECONDS));

            h.stallNs = THRESHOLD - 1;
            Bytes.writeFully(client, new byte[] {1});
            LoopFixture.await(() -> h.calls.get() == 1, "the first onData");
            roundOnLoop(loop);
            assertEquals(0, loop.stats().loopStalls(), "threshold - 1 ns is not a stall");
            assertTrue(f.errors.isEmpty(), f.errors.toString());

            h.stallNs = THRESHOLD;
            Bytes.writeFully(client, new byte[] {2});
            LoopFixture.await(() -> h.calls.get() == 2, "the second onData");
            roundOnLoop(loop);
            assertEquals(1, loop.stats().loopStalls(), "reported once: by its callback, not again by its iteration");
            assertEquals(1, f.errors.size());
            LoopStallException stall = assertInstanceOf(LoopStallException.class, f.errors.get(0));
            assertEquals(THRESHOLD, stall.stalledNs());
            assertEquals(THRESHOLD, stall.thresholdNs());
            assertSame(Staller.class, stall.handlerClass());
            assertTrue(stall.getMessage().contains(h.connection.toString()), stall.getMessage());
            assertEquals(0, stall.getStackTrace().length, "no stack trace: the stall is over when it is reported");
            f.errors.clear();
        }
    }

    @Test
    void shouldReportAnIterationWhoseTasksRanPastTheThreshold() throws Exception {
        ManualClock clock = new ManualClock(0);
        try (LoopFixture f = new LoopFixture("stall-iteration")) {
            EventLoop loop = f.adopt(EventLoop.start(f.config().withClock(clock).withStallThresholdNs(THRESHOLD)));
            CountDownLatch done = new CountDownLatch(2);
            loop.execute(() -> {
                clock.advance(THRESHOLD / 2); // two tasks of one iteration: neither stalls alone
                done.countDown();
                // Queued from the loop thread, it runs in this same batch of tasks, so in this iteration
                // (two execute calls from the test thread could land in two iterations).
                loop.execute(() -> {
                    clock.advance(THRESHOLD / 2);
                    done.countDown();
                });
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            roundOnLoop(loop);
            // The report reaches the error handler at the end of the stalled iteration, after its counter:
            // wait for the report itself (the check above may even run within that iteration).
            LoopFixture.await(() -> f.errors.size() == 1, "the stalled iteration's report");
            assertEquals(1, loop.stats().loopStalls());
            LoopStallException stall = assertInstanceOf(LoopStallException.class, f.errors.get(0));
            assertNull(stall.handlerClass());
            assertTrue(stall.getMessage().contains("an iteration of loop"), stall.getMessage());
            f.errors.clear();
        }
    }

    /**
     * The iteration's end is the last key's clock reading only when nothing ran after the keys: a timer
     * that runs past the threshold is caught in its own iteration, because a timer having run makes the
     * loop read the clock again as the iteration ends.
     */
    @Test
    void shouldReportAnIterationWhoseTimerRanPastTheThreshold() throws Exception {
        ManualClock clock = new ManualClock(0);
        try (LoopFixture f = new LoopFixture("stall-timer")) {
            EventLoop loop = f.adopt(EventLoop.start(f.config().withClock(clock).withStallThresholdNs(THRESHOLD)));
            CountDownLatch fired = new CountDownLatch(1);
            CountDownLatch armed = new CountDownLatch(1);
            loop.execute(() -> {
                loop.schedule(() -> {
                    clock.advance(THRESHOLD);
                    fired.countDown();
                }, 1_000_000L);
                armed.countDown();
            });
            assertTrue(armed.await(10, TimeUnit.SECONDS));
            assertEquals(1, fired.getCount(), "the clock has not moved: the timer is not due yet");
            // No task after this: the loop wakes for the timer by itself (its select waits 1 ms at a time),
            // so no later iteration with work can report the stall in the timer's place.
            clock.advance(1_000_000L);
            assertTrue(fired.await(10, TimeUnit.SECONDS));
            LoopFixture.await(() -> f.errors.size() == 1, "the stalled iteration's report");
            assertEquals(1, loop.stats().loopStalls());
            LoopStallException stall = assertInstanceOf(LoopStallException.class, f.errors.get(0));
            // The timer's time; the 1 ms step may count too, if it landed while the loop was awake.
            assertTrue(stall.stalledNs() >= THRESHOLD && stall.stalledNs() <= THRESHOLD + 1_000_000L,
                    "stalled " + stall.stalledNs() + " ns");
            assertTrue(stall.getMessage().contains("an iteration of loop"), stall.getMessage());
            f.errors.clear();
        }
    }

    @Test
    void shouldReportNothingWhenTheWatchdogIsOff() throws Exception {
        ManualClock clock = new ManualClock(0);
        try (LoopFixture f = new LoopFixture("stall-off")) {
            EventLoop loop = f.adopt(EventLoop.start(f.config().withClock(clock)));
            CountDownLatch done = new CountDownLatch(1);
            loop.execute(() -> {
                clock.advance(3_600_000_000_000L);
                done.countDown();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            roundOnLoop(loop);
            assertEquals(0, loop.stats().loopStalls());
        }
    }
}
