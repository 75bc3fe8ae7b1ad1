package dev.sluice.samples.chat;

import dev.sluice.CloseReason;
import dev.sluice.EventLoop;
import dev.sluice.ManualClock;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading while its queued output stays below the high watermark: it never counts
 * as lagging, so the lagging deadline never starts, yet its output makes no progress. It must still be
 * disconnected after the stall timeout. (The kernel can take a late 12 KB or so of a non-reading
 * client's backlog, and a queue that drains to the low watermark that way became writable and was
 * never disconnected: {@code ChatServerTest}'s stalled client timed out once in CI for that.)
 *
 * <p>On a started loop whose clock is a {@link ManualClock}, so the stall timeout passes exactly when
 * the test says.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatStuckClientTest {
    private static final long SEC = 1_000_000_000L;

    /** Two rounds through the loop: the first wakes it at the clock's new time, the second runs after that iteration's timers. */
    private static void twoRounds(EventLoop loop) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> loop.schedule(() -> loop.execute(done::countDown), 0));
        assertTrue(done.await(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldDisconnectAClientWhoseOutputMakesNoProgressWhileBelowTheHighWatermark() throws Exception {
        ManualClock clock = new ManualClock(5 * SEC);
        // Watermarks far above what is sent, so the client is never lagging; a 1 s stall timeout.
        ChatConfig cfg = ChatConfig.defaults().withBindAddress(LoopFixture.ANY_LOOPBACK)
                .withWatermarks(4 * 1024 * 1024, 1024 * 1024).withSocketBufferBytes(16 * 1024)
                .withStallTimeoutNs(SEC);
        try (LoopFixture f = new LoopFixture("chat-stuck")) {
            EventLoop loop = f.adopt(EventLoop.start(f.config().withClock(clock)));
            ChatServer server = ChatServer.start(loop, cfg);
            ChatPeer a = ChatPeer.join(f, server.address());
            ChatPeer b = ChatPeer.join(f, server.address());
            ChatPeer.connectSilent(f, server.address(), "guest3", a, b);

            // 2,000 lines of 160 bytes: 320 KB for the stuck client, far more than its socket buffers
            // and the server's hold, far less than the high watermark.
            ChatPeer.chatInBatches(a, b, "guest1", 40, 50, "x".repeat(150));
            assertEquals(0, server.stats().dropped(), "never lagging: nothing was dropped for it");
            assertTrue(loop.stats().pendingOutputBytes() > 100_000,
                    "its output waits in the server: " + loop.stats().pendingOutputBytes() + " bytes");

            // The stall timeout passes with no progress. A late write the kernel took restarts it, so
            // step on until the client is gone (each step is another whole timeout with no progress).
            for (int step = 0; step < 10 && server.stats().stalledDisconnects() == 0; step++) {
                clock.advance(SEC);
                twoRounds(loop);
            }
            assertEquals(1, server.stats().stalledDisconnects(), "disconnected as not reading");
            assertEquals("*** guest3 left (not reading: disconnected)", b.lineContaining("guest3 left"));
            assertEquals("*** guest3 left (not reading: disconnected)", a.lineContaining("guest3 left"));
            assertEquals(1, loop.stats().closes(CloseReason.WRITE_TIMEOUT));
            LoopFixture.await(() -> loop.stats().pendingOutputBytes() == 0, "its queue to be released");
            assertEquals(2, server.stats().clients());

            a.send("still here");
            assertEquals("<guest1> still here", b.message());
        }
    }
}
