package dev.sluice.reliability;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.LoopStats;
import dev.sluice.testing.EchoProbe;
import dev.sluice.testing.Fds;
import dev.sluice.testing.HostilePeers;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Memory stays bounded when peers never read: 200 of them, each offered 50 MB. The loop's own gauges
 * are the measure: {@link LoopStats#peakPendingOutputBytes()} is the most output the engine ever held
 * for all connections together.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileMemoryTest {
    private static final int PEERS = 200;
    private static final long OFFERED = 50L << 20;
    private static final int KIB = 1024;

    @BeforeEach
    void needDescriptors() {
        assumeTrue(Fds.limit() >= 2 * PEERS + 200, "needs ulimit -n of at least " + (2 * PEERS + 200));
    }

    /** Writes whenever told to, ignoring writability; records whether the engine refused. */
    static class OfferingHandler extends RecordingHandler {
        long offered;
        volatile boolean refused;

        /** Offers one more piece; loop thread. */
        boolean offer(ByteBuffer piece, boolean copy) {
            int n = piece.remaining();
            boolean queued = copy ? connection.writeCopy(piece) : connection.write(piece);
            if (queued) {
                offered += n;
            } else {
                refused = true;
            }
            return queued;
        }
    }

    /** What a well-behaved producer does: writes only while writable, and goes on when told it may. */
    static final class Producer extends OfferingHandler {
        private final ByteBuffer piece;

        Producer(ByteBuffer piece) {
            this.piece = piece;
        }

        @Override
        public void onOpen(Connection c) {
            super.onOpen(c);
            fill();
        }

        @Override
        public void onWritabilityChanged(Connection c, boolean writable) {
            super.onWritabilityChanged(c, writable);
            fill();
        }

        private void fill() {
            while (connection.isWritable() && offered < OFFERED && offer(piece.duplicate(), false)) {
                continue;
            }
        }
    }

    @Test
    void shouldKeepPendingOutputUnderConnectionsTimesHardCapWhenHandlersIgnoreBackpressure() throws Exception {
        long cap = 1L << 20;
        ByteBuffer piece = ByteBuffer.allocate(256 * KIB).asReadOnlyBuffer();
        try (LoopFixture f = new LoopFixture("mem-cap")) {
            EventLoop loop = f.startLoop();
            ConnectionConfig cc = ConnectionConfig.defaults().withMaxPendingOutputBytes(cap)
                    .withSocketBuffers(16 * KIB, 16 * KIB);
            TrackedServer<OfferingHandler> s = TrackedServer.listen(loop, cc, OfferingHandler::new);
            try (HostilePeers peers = new HostilePeers(s.address(), PEERS)) {
                for (int i = 0; i < PEERS; i++) {
                    peers.neverReader();
                }
                LoopFixture.await(() -> s.listener.openConnections() == PEERS, "all peers accepted");
                List<OfferingHandler> targets = List.copyOf(s.handlers);

                // Every millisecond each peer is offered another 256 KiB, copied into engine buffers
                // (real memory), until it has been offered 50 MB or the engine refuses.
                Runnable tick = new Runnable() {
                    @Override
                    public void run() {
                        boolean more = false;
                        for (OfferingHandler h : targets) {
                            if (!h.refused && h.offered < OFFERED) {
                                more |= h.offer(piece.duplicate(), true);
                            }
                        }
                        if (more) {
                            loop.schedule(this, 1_000_000L);
                        }
                    }
                };
                loop.execute(tick);
                assertEquals(20, EchoProbe.start(s.address(), 20, 1000, 1).get(20, TimeUnit.SECONDS).rounds());

                LoopFixture.await(() -> targets.stream().allMatch(h -> h.closeReason != null), "all closed");
                targets.forEach(h -> {
                    assertEquals(CloseReason.OUTPUT_OVERFLOW, h.closeReason);
                    assertTrue(h.offered <= cap, "accepted " + h.offered + " bytes");
                });
                LoopStats st = loop.stats();
                assertTrue(st.peakPendingOutputBytes() <= PEERS * cap,
                        "peak " + st.peakPendingOutputBytes() + " over " + PEERS + " x " + cap);
                // The load was real: the peers together made the engine hold more than half of that bound.
                assertTrue(st.peakPendingOutputBytes() > PEERS * cap / 2, "peak only " + st.peakPendingOutputBytes());
                assertEquals(PEERS, st.closes(CloseReason.OUTPUT_OVERFLOW));
                assertEquals(0, st.pendingOutputBytes(), "refused output released");
            }
        }
    }

    @Test
    void shouldPauseNeverReadersOfBackpressureAwareProducerBelowTheWatermarks() throws Exception {
        int high = 64 * KIB;
        int chunk = 64 * KIB;
        ByteBuffer piece = ByteBuffer.allocate(chunk).asReadOnlyBuffer();
        try (LoopFixture f = new LoopFixture("mem-watermark")) {
            EventLoop loop = f.startLoop();
            ConnectionConfig cc = ConnectionConfig.defaults().withWatermarks(high, 32 * KIB)
                    .withSocketBuffers(16 * KIB, 16 * KIB);
            AtomicInteger accepted = new AtomicInteger();
            // The peers get the producer; whoever connects after them (the probe) gets a plain echo.
            TrackedServer<OfferingHandler> s = TrackedServer.listen(loop, cc, () ->
                    accepted.getAndIncrement() < PEERS ? new Producer(piece) : new OfferingHandler());
            try (HostilePeers peers = new HostilePeers(s.address(), PEERS)) {
                for (int i = 0; i < PEERS; i++) {
                    peers.neverReader();
                }
                LoopFixture.await(() -> s.handlers.size() == PEERS
                        && s.handlers.stream().allMatch(h -> !h.writability.isEmpty()), "all paused");
                assertEquals(20, EchoProbe.start(s.address(), 20, 1000, 2).get(20, TimeUnit.SECONDS).rounds());

                LoopStats st = loop.stats();
                assertEquals(PEERS, st.becameUnwritable());
                assertTrue(st.peakPendingOutputBytes() <= (long) PEERS * (high + chunk),
                        "peak " + st.peakPendingOutputBytes());
                for (int i = 0; i < PEERS; i++) {
                    OfferingHandler h = s.handler(i);
                    assertEquals(List.of(false), h.writability);
                    assertFalse(h.refused);
                    assertTrue(h.closeReason == null, "paused, not closed");
                    assertTrue(h.offered < OFFERED);
                }
            }
            // The peers go away with unread data (RST); the server learns it from its pending write.
            LoopFixture.await(() -> loop.stats().openConnections() == 0, "all closed");
            assertEquals(PEERS, loop.stats().closes(CloseReason.PEER_RESET));
            assertEquals(CloseReason.PEER_CLOSED, s.handler(PEERS).closeReason, "the probe closed normally");
            assertEquals(0, loop.stats().pendingOutputBytes());
        }
    }

    @Test
    void shouldRefuseWriteThatWouldTakePendingOutputOverTheCapWithoutHoldingIt() throws Exception {
        long cap = 16L << 20; // the default
        int peers = 20;
        ByteBuffer fiftyMb = ByteBuffer.allocate((int) OFFERED).asReadOnlyBuffer();
        try (LoopFixture f = new LoopFixture("mem-oversize")) {
            EventLoop loop = f.startLoop();
            TrackedServer<OfferingHandler> s = TrackedServer.listen(loop, ConnectionConfig.defaults(),
                    () -> new OfferingHandler() {
                        @Override
                        public void onOpen(Connection c) {
                            super.onOpen(c);
                            offer(fiftyMb.duplicate(), true); // all 50 MB in one call
                        }
                    });
            try (HostilePeers hostile = new HostilePeers(s.address(), peers)) {
                for (int i = 0; i < peers; i++) {
                    hostile.neverReader();
                }
                LoopFixture.await(() -> s.handlers.size() == peers
                        && s.handlers.stream().allMatch(h -> h.closeReason != null), "all closed");
            }
            for (OfferingHandler h : s.handlers) {
                assertTrue(h.refused);
                assertEquals(CloseReason.OUTPUT_OVERFLOW, h.closeReason);
                assertTrue(h.closeCause.getMessage().contains("over the cap"), h.closeCause.getMessage());
            }
            assertTrue(loop.stats().peakPendingOutputBytes() <= cap,
                    "held " + loop.stats().peakPendingOutputBytes() + " bytes of a write the cap refuses");
        }
    }
}
