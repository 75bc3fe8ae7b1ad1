package dev.sluice.reliability;

import dev.sluice.CloseReason;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.ListenerConfig;
import dev.sluice.ManualClock;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.EchoProbe;
import dev.sluice.testing.Fds;
import dev.sluice.testing.HostilePeers;
import dev.sluice.testing.HostilePeers.LongLineResult;
import dev.sluice.testing.HostilePeers.NeverReader;
import dev.sluice.testing.HostilePeers.SlowReader;
import dev.sluice.testing.HostilePeers.Slowloris;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.sluice.testing.LoopFixture.runUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each hostile peer gets its outcome (paused, timed out, rejected, closed with its typed reason) while a
 * well-behaved client on the same loop is served byte-exact. Outcomes decided by time run on a manual
 * clock: the test is the clock, so a timeout lands at an exact nanosecond however loaded the machine is.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostilePeersTest {
    private static final long SEC = 1_000_000_000L;
    /** Not zero, so that nothing works only by accident of a zero origin. */
    private static final long T0 = 5 * SEC + 777;
    private static final int KIB = 1024;

    private final ManualClock clock = new ManualClock(T0);

    private EventLoop manualLoop(LoopFixture f) {
        return f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(10_000_000L));
    }

    /** Serves a well-behaved probe on a manual loop at {@code nowNs}: 20 messages, each echoed byte-exact. */
    private static void serveProbe(EventLoop loop, long nowNs, InetSocketAddress address, long seed) {
        CompletableFuture<EchoProbe.Result> probe = EchoProbe.start(address, 20, 1000, seed);
        runUntil(loop, nowNs, probe::isDone);
        assertEquals(20, probe.join().rounds()); // join rethrows a mismatch or I/O error
    }

    /** Drives a manual loop one virtual second at a time from {@code fromNs} until {@code h} closes. */
    private static long stepUntilClosed(EventLoop loop, RecordingHandler h, long fromNs, Runnable eachSecond) {
        long now = fromNs;
        for (int i = 0; i < 120 && h.closeReason == null; i++, now += SEC) {
            eachSecond.run();
            loop.runOnce(now);
        }
        assertNotNull(h.closeReason, "still open after 120 virtual seconds");
        return now;
    }

    /** The peer sends, its echo backs up, the server stops reading it, and TCP stops the peer. */
    private static void pushUntilPaused(EventLoop loop, NeverReader peer, RecordingHandler h) {
        runUntil(loop, T0, () -> {
            peer.offer();
            return !h.writability.isEmpty();
        });
        int taken;
        do {
            taken = peer.offer();
        } while (taken > 0); // flow control has stopped the peer: its send buffer is full
        long readSoFar = h.bytesIn.get();
        for (int i = 0; i < 20; i++) {
            peer.offer();
            loop.runOnce(T0);
        }
        assertEquals(readSoFar, h.bytesIn.get(), "the server kept reading from an unwritable connection");
        assertEquals(List.of(false), h.writability, "one change, to unwritable");
        assertTrue(peer.sent() > readSoFar, "the peer's bytes wait in the kernel, not in the engine");
    }

    @Test
    void shouldPauseNeverReadingPeerAndCloseItWithWriteTimeoutWhileServingOthers() throws Exception {
        try (LoopFixture f = new LoopFixture("never-reads")) {
            EventLoop loop = manualLoop(f);
            ConnectionConfig cc = ConnectionConfig.defaults().withWriteTimeoutNs(10 * SEC)
                    .withSocketBuffers(16 * KIB, 16 * KIB);
            TrackedServer<RecordingHandler> s = TrackedServer.listen(loop, cc, RecordingHandler::new);
            try (HostilePeers peers = new HostilePeers(s.address(), 1)) {
                NeverReader peer = peers.neverReader();
                runUntil(loop, T0, () -> s.handlers.size() == 1);
                RecordingHandler h = s.handler(0);
                pushUntilPaused(loop, peer, h);

                serveProbe(loop, T0 + SEC, s.address(), 1);

                loop.runOnce(T0 + 10 * SEC - 1); // output started waiting no earlier than T0
                assertNull(h.closeReason);
                stepUntilClosed(loop, h, T0 + 10 * SEC, () -> { });
                assertEquals(CloseReason.WRITE_TIMEOUT, h.closeReason);
                assertEquals(1, loop.stats().writeStallTimeouts());
                assertEquals(CloseReason.PEER_CLOSED, s.handler(1).closeReason, "the probe closed normally");
                assertEquals(0, loop.stats().pendingOutputBytes(), "the stalled output was released");
            }
            loop.close();
        }
    }

    @Test
    void shouldCloseOneByteASecondReaderWithWriteTimeoutAndGiveItOnlyBytesInOrder() throws Exception {
        try (LoopFixture f = new LoopFixture("slow-reader")) {
            EventLoop loop = manualLoop(f);
            ConnectionConfig cc = ConnectionConfig.defaults().withWriteTimeoutNs(10 * SEC)
                    .withSocketBuffers(16 * KIB, 16 * KIB);
            TrackedServer<RecordingHandler> s = TrackedServer.listen(loop, cc, RecordingHandler::new);
            try (HostilePeers peers = new HostilePeers(s.address(), 1)) {
                SlowReader peer = peers.slowReader();
                runUntil(loop, T0, () -> s.handlers.size() == 1);
                RecordingHandler h = s.handler(0);
                pushUntilPaused(loop, peer, h);

                // One byte a second frees far less than a segment: the receiver keeps advertising a zero
                // window (receiver-side silly window avoidance, RFC 1122 4.2.3.3), so the server's
                // output makes no progress at all, and the stall deadline is what ends it.
                Runnable readOne = () -> {
                    try {
                        long offset = peer.read();
                        assertEquals(HostilePeers.patternByte(offset) & 0xff, peer.readOneByte(), "byte " + offset);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
                for (int k = 1; k < 10; k++) {
                    readOne.run();
                    loop.runOnce(T0 + k * SEC);
                }
                serveProbe(loop, T0 + 9 * SEC, s.address(), 2);
                loop.runOnce(T0 + 10 * SEC - 1);
                assertNull(h.closeReason);
                stepUntilClosed(loop, h, T0 + 10 * SEC, readOne);
                assertEquals(CloseReason.WRITE_TIMEOUT, h.closeReason);
                assertTrue(peer.read() >= 9, "read " + peer.read());
            }
            loop.close();
        }
    }

    @Test
    void shouldCloseSlowlorisAtItsLineDeadlineWhichTheIdleTimeoutAloneNeverReaches() throws Exception {
        try (LoopFixture f = new LoopFixture("slowloris")) {
            EventLoop loop = manualLoop(f);
            ConnectionConfig cc = ConnectionConfig.defaults().withReadIdleTimeoutNs(5 * SEC);
            TrackedServer<LineEchoHandler> s = TrackedServer.listen(loop, cc,
                    () -> new LineEchoHandler(8 * KIB, 10 * SEC));
            try (HostilePeers peers = new HostilePeers(s.address(), 1)) {
                Slowloris peer = peers.slowloris("GET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII));
                runUntil(loop, T0, () -> s.handlers.size() == 1);
                LineEchoHandler h = s.handler(0);

                // A byte every 3 s: each read restarts the 5 s idle period, so idleness never ends it.
                for (int k = 1; k <= 4; k++) {
                    peer.sendOneByte();
                    int sent = k;
                    // The previous byte was read 3 s ago, so the idle deadline is 2 s away: nothing can
                    // fire at this instant, and the loop runs until the byte is read.
                    runUntil(loop, T0 + 3L * k * SEC, () -> h.bytesIn.get() == sent);
                    assertNull(h.closeReason, "closed at " + (3 * k) + " s");
                }
                serveProbe(loop, T0 + 12 * SEC, s.address(), 3);

                // The line began with the first byte, read at T0 + 3 s; it had 10 s to end.
                loop.runOnce(T0 + 13 * SEC - 1);
                assertNull(h.closeReason);
                loop.runOnce(T0 + 13 * SEC);
                assertEquals(CloseReason.DEADLINE_EXCEEDED, h.closeReason);
                assertEquals(0, loop.stats().readIdleTimeouts(), "the idle timeout never fired");
                assertEquals(1, loop.stats().deadlineTimeouts());
            }
            loop.close();
        }
    }

    @Test
    void shouldCloseSilentPeerWithIdleTimeoutExactlyWhenDue() throws Exception {
        try (LoopFixture f = new LoopFixture("silent")) {
            EventLoop loop = manualLoop(f);
            ConnectionConfig cc = ConnectionConfig.defaults().withReadIdleTimeoutNs(5 * SEC);
            TrackedServer<RecordingHandler> s = TrackedServer.listen(loop, cc, RecordingHandler::new);
            try (HostilePeers peers = new HostilePeers(s.address(), 1)) {
                peers.silent();
                runUntil(loop, T0, () -> s.handlers.size() == 1);
                RecordingHandler h = s.handler(0);

                serveProbe(loop, T0 + SEC, s.address(), 4);
                loop.runOnce(T0 + 5 * SEC - 1);
                assertNull(h.closeReason);
                loop.runOnce(T0 + 5 * SEC);
                assertEquals(CloseReason.IDLE_TIMEOUT, h.closeReason);
                assertEquals(0, h.bytesIn.get());
            }
            loop.close();
        }
    }

    @Test
    void shouldCloseVanishedPeerWithIdleTimeoutCountedFromItsLastRead() throws Exception {
        try (LoopFixture f = new LoopFixture("vanish")) {
            EventLoop loop = manualLoop(f);
            ConnectionConfig cc = ConnectionConfig.defaults().withReadIdleTimeoutNs(5 * SEC);
            TrackedServer<RecordingHandler> s = TrackedServer.listen(loop, cc, RecordingHandler::new);
            try (HostilePeers peers = new HostilePeers(s.address(), 1)) {
                byte[] message = Bytes.random(5, 100);
                CompletableFuture<SocketChannel> exchange = CompletableFuture.supplyAsync(() -> {
                    try {
                        return peers.exchangeThenVanish(message);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                runUntil(loop, T0 + 2 * SEC, exchange::isDone); // every read of it happens at T0 + 2 s
                exchange.join();
                RecordingHandler h = s.handler(0);
                assertEquals(100, h.bytesIn.get());

                serveProbe(loop, T0 + 3 * SEC, s.address(), 5);
                loop.runOnce(T0 + 7 * SEC - 1);
                assertNull(h.closeReason, "no FIN, no RST: only a deadline can end it");
                loop.runOnce(T0 + 7 * SEC);
                assertEquals(CloseReason.IDLE_TIMEOUT, h.closeReason);
            }
            loop.close();
        }
    }

    @Test
    void shouldDeliverEveryByteToPeerThatHalfClosesAndKeepsReading() throws Exception {
        try (LoopFixture f = new LoopFixture("half-close")) {
            EventLoop loop = f.startLoop();
            // Small socket buffers: the echo is still backed up in the engine when the peer's FIN arrives.
            ConnectionConfig cc = ConnectionConfig.defaults().withSocketBuffers(16 * KIB, 16 * KIB);
            TrackedServer<RecordingHandler> s = TrackedServer.listen(loop, cc, RecordingHandler::new);
            try (HostilePeers peers = new HostilePeers(s.address(), 1)) {
                CompletableFuture<EchoProbe.Result> probe = EchoProbe.start(s.address(), 200, 1000, 6);
                byte[] data = Bytes.random(6, 4 << 20);
                assertArrayEquals(data, peers.halfCloseAndKeepReading(data, data.length));
                assertEquals(200, probe.get(20, TimeUnit.SECONDS).rounds());
                LoopFixture.await(() -> s.handlers.stream().allMatch(h -> h.closeReason != null), "both closed");
                s.handlers.forEach(h -> assertEquals(CloseReason.PEER_CLOSED, h.closeReason));
            }
        }
    }

    @Test
    void shouldCloseWithPeerResetWhenPeerResetsMidWriteAndDropItsPendingOutput() throws Exception {
        try (LoopFixture f = new LoopFixture("reset")) {
            EventLoop loop = f.startLoop();
            ConnectionConfig cc = ConnectionConfig.defaults().withSocketBuffers(16 * KIB, 16 * KIB);
            TrackedServer<RecordingHandler> s = TrackedServer.listen(loop, cc, RecordingHandler::new);
            try (HostilePeers peers = new HostilePeers(s.address(), 1)) {
                NeverReader peer = peers.neverReader();
                LoopFixture.await(() -> s.handlers.size() == 1, "accepted");
                RecordingHandler h = s.handler(0);
                LoopFixture.await(() -> {
                    peer.offer();
                    return !h.writability.isEmpty() && peer.offer() == 0;
                }, "the server is mid-write: output backed up, the peer pushed back");
                assertTrue(loop.stats().pendingOutputBytes() > 0);

                peer.reset();
                assertTrue(h.closed.await(10, TimeUnit.SECONDS));
                assertEquals(CloseReason.PEER_RESET, h.closeReason);
                LoopFixture.await(() -> loop.stats().pendingOutputBytes() == 0, "pending output released");
                assertEquals(20, EchoProbe.start(s.address(), 20, 1000, 7).get(20, TimeUnit.SECONDS).rounds());
            }
        }
    }

    @Test
    void shouldRejectAcceptStormBeyondMaxConnectionsAndKeepServingTheClientItHas() throws Exception {
        try (LoopFixture f = new LoopFixture("storm")) {
            EventLoop loop = f.startLoop();
            int max = 100;
            int storm = 1000;
            assumeTrue(Fds.limit() >= storm + max + 200, "needs ulimit -n of at least " + (storm + max + 200));
            ListenerConfig lc = ListenerConfig.defaults().withMaxConnections(max);
            TrackedServer<RecordingHandler> s = TrackedServer.listen(loop, lc, RecordingHandler::new);
            SocketChannel good = f.connect(s.address());
            byte[] msg = Bytes.random(8, 10_000);
            Bytes.writeFully(good, msg);
            assertArrayEquals(msg, Bytes.readExactly(good, msg.length));

            try (HostilePeers peers = new HostilePeers(s.address(), storm)) {
                CompletableFuture<List<SocketChannel>> stormDone = CompletableFuture.supplyAsync(() -> {
                    try {
                        return peers.acceptStorm(storm, 4);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                int echoes = 0;
                do { // the established client keeps being served while the storm goes on
                    Bytes.writeFully(good, msg);
                    assertArrayEquals(msg, Bytes.readExactly(good, msg.length));
                    echoes++;
                } while (!stormDone.isDone());
                assertEquals(storm, stormDone.get().size());
                LoopFixture.await(() -> s.listener.acceptedCount() + s.listener.rejectedCount() == storm + 1,
                        "every storm connection accepted or rejected");
                assertEquals(max, s.listener.acceptedCount(), "accepted up to the maximum");
                assertEquals(storm + 1 - max, s.listener.rejectedCount(), "the rest reset at once");
                assertEquals(storm + 1 - max, loop.stats().closes(CloseReason.REJECTED));
                assertEquals(max, s.listener.openConnections());
                assertTrue(echoes >= 1);
            }
            // The storm resets its connections: their slots free up and a newcomer is served.
            LoopFixture.await(() -> s.listener.openConnections() == 1, "storm connections closed");
            assertEquals(max - 1, loop.stats().closes(CloseReason.PEER_RESET));
            assertEquals(20, EchoProbe.start(s.address(), 20, 1000, 8).get(20, TimeUnit.SECONDS).rounds());
            Bytes.writeFully(good, msg);
            assertArrayEquals(msg, Bytes.readExactly(good, msg.length));
        }
    }

    @Test
    void shouldResetHundredMegabyteLineEarlyWithBoundedMemoryWhileServingOthers() throws Exception {
        try (LoopFixture f = new LoopFixture("long-line")) {
            EventLoop loop = f.startLoop();
            int maxLine = 8 * KIB;
            long hundredMb = 100L << 20;
            TrackedServer<LineEchoHandler> s = TrackedServer.listen(loop, ConnectionConfig.defaults(),
                    () -> new LineEchoHandler(maxLine, 0));
            try (HostilePeers peers = new HostilePeers(s.address(), 1)) {
                CompletableFuture<EchoProbe.Result> probe = EchoProbe.start(s.address(), 500, 200, 9);
                LongLineResult line = peers.endlessLine(hundredMb);
                assertEquals(500, probe.get(20, TimeUnit.SECONDS).rounds(), "line clients served meanwhile");

                assertNotNull(line.failure(), "the server never reset the endless line");
                // What it got to send beyond what the server read sat in kernel buffers (typically a few MB).
                assertTrue(line.sentBytes() < hundredMb, "sent all " + line.sentBytes() + " bytes");
                LoopFixture.await(() -> s.handlers.size() == 2 && s.handlers.stream().allMatch(h -> h.closeReason != null),
                        "both closed");
                LineEchoHandler h = s.handlers.stream().filter(x -> x.tooLong != null).findFirst().orElseThrow();
                assertEquals(CloseReason.LOCAL, h.closeReason, "the handler aborted it");
                // The server read at most one read buffer past the limit; the rest was never read.
                assertTrue(h.bytesIn.get() <= maxLine + 64 * KIB, "read " + h.bytesIn.get());
                assertTrue(h.maxHeldBytes <= maxLine + 1, "framer held " + h.maxHeldBytes);
                assertEquals(0, h.maxEngineBufferedInput, "the engine held no input for it");
            }
        }
    }
}
