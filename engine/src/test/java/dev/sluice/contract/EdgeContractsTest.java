package dev.sluice.contract;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.DatagramConfig;
import dev.sluice.DatagramEndpoint;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.ManualClock;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.Fds;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.sluice.testing.LoopFixture.runUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The smaller defects of issue 10 (its item 6), one test each. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EdgeContractsTest {

    /** Runs {@code action} on the loop thread and returns what it threw, or {@code null}. */
    private static Throwable thrownOnLoop(EventLoop loop, Runnable action) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                action.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        return thrown.get();
    }

    @Test
    void shouldReleaseHeldInputWhenAHandlerThrowsAfterAborting() throws Exception {
        try (LoopFixture f = new LoopFixture("abort-throw")) {
            EventLoop loop = f.startLoop();
            RecordingHandler h = new RecordingHandler() {
                int calls;

                @Override
                public void onData(Connection c, ByteBuffer data) {
                    if (++calls == 1) {
                        data.position(data.position() + 1); // leave the rest held
                        return;
                    }
                    c.abort();
                    throw new IllegalStateException("handler bug after abort");
                }
            };
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> h);
            SocketChannel client = f.connect(l.localAddress());
            Bytes.writeFully(client, new byte[100]);
            LoopFixture.await(() -> loop.stats().bufferedInputBytes() == 99, "input held");
            Bytes.writeFully(client, new byte[10]);
            assertTrue(h.closed.await(10, TimeUnit.SECONDS));
            LoopFixture.await(() -> loop.stats().bufferedInputBytes() == 0, "the held chunk released");
            assertEquals(CloseReason.LOCAL, h.closeReason, "the abort came first");
            assertEquals(1, f.errors.size());
            f.errors.clear();
        }
    }

    @Test
    void shouldGiveEveryConnectionAUniqueIdWhateverThreadConnects() throws Exception {
        try (LoopFixture f = new LoopFixture("ids")) {
            EventLoop loop = f.startLoop();
            Set<Long> ids = ConcurrentHashMap.newKeySet();
            int threads = 4;
            int each = 2_000;
            CountDownLatch allClosed = new CountDownLatch(threads * each);
            RecordingHandler h = new RecordingHandler() {
                @Override
                public void onClose(Connection c, CloseReason reason, Throwable cause) {
                    allClosed.countDown(); // every connect fails (the address is unresolved)
                }
            };
            InetSocketAddress nowhere = InetSocketAddress.createUnresolved("sluice.invalid", 9);
            Thread[] ts = new Thread[threads];
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                ts[t] = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        ids.add(loop.connect(nowhere, ConnectionConfig.defaults(), h).id());
                    }
                });
                ts[t].start();
            }
            go.countDown();
            for (Thread t : ts) {
                t.join();
            }
            assertEquals(threads * each, ids.size(), "duplicate connection ids");
            assertTrue(allClosed.await(20, TimeUnit.SECONDS), "an onClose for each connect");
        }
    }

    @Test
    void shouldDrainALingeringConnectionWithinTheReadBudget() throws Exception {
        ManualClock clock = new ManualClock(0);
        try (LoopFixture f = new LoopFixture("linger-budget")) {
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(5_000_000L));
            int budget = 16 * 1024;
            RecordingHandler h = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    c.pauseReading(); // input piles up in the kernel
                }
            };
            ConnectionConfig cc = ConnectionConfig.defaults().withBudgets(64 * 1024, budget)
                    .withSocketBuffers(0, 1 << 20);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> h);
            SocketChannel client = f.connect(l.localAddress());
            runUntil(loop, 0, () -> h.connection != null);
            Bytes.writeFully(client, new byte[512 * 1024]);
            long read = loop.stats().bytesRead();
            loop.execute(() -> h.connection.close()); // FIN sent, lingering, 512 KiB of input unread
            int events = 0;
            while (loop.stats().bytesRead() - read < 512 * 1024 && events < 10_000) {
                long before = loop.stats().bytesRead();
                loop.runOnce(0);
                long n = loop.stats().bytesRead() - before;
                assertTrue(n <= budget, "one readiness event drained " + n + " bytes, over the budget of " + budget);
                events++;
            }
            assertEquals(512 * 1024, loop.stats().bytesRead() - read, "everything drained in the end");
            client.close();
            runUntil(loop, 0, () -> h.closeReason != null);
            assertEquals(CloseReason.LOCAL, h.closeReason);
            loop.close();
        }
    }

    @Test
    void shouldLeaveNoSocketBoundWhenListenOrBindIsCalledOnAClosedLoop() throws Exception {
        try (LoopFixture f = new LoopFixture("listen-closed")) {
            EventLoop loop = f.startLoop();
            loop.close();
            long fds = Fds.open();
            assertThrows(IllegalStateException.class,
                    () -> loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), RecordingHandler::new));
            assertThrows(IllegalStateException.class,
                    () -> loop.bindDatagram(LoopFixture.ANY_LOOPBACK, DatagramConfig.defaults(), (e, d, s) -> { }));
            if (Fds.available()) {
                assertEquals(fds, Fds.open(), "a socket was left bound");
            }
        }
    }

    @Test
    void shouldRefuseADatagramToAnUnresolvedAddressAtOnceFromAnyThread() throws Exception {
        try (LoopFixture f = new LoopFixture("udp-unresolved")) {
            EventLoop loop = f.startLoop();
            DatagramEndpoint e = loop.bindDatagram(LoopFixture.ANY_LOOPBACK, DatagramConfig.defaults(), (ep, d, s) -> { });
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("sluice.invalid", 9);
            assertThrows(IllegalArgumentException.class, () -> e.send(ByteBuffer.allocate(8), unresolved));
            assertInstanceOf(IllegalArgumentException.class, thrownOnLoop(loop, () -> e.send(ByteBuffer.allocate(8), unresolved)));
            long iterations = loop.stats().iterations();
            assertTrue(f.errors.isEmpty(), "nothing reached the error handler: " + f.errors);
            CountDownLatch idle = new CountDownLatch(1);
            loop.execute(idle::countDown);
            assertTrue(idle.await(10, TimeUnit.SECONDS));
            assertTrue(loop.stats().iterations() - iterations < 100, "the loop spins");
        }
    }

    @Test
    void shouldReportTheFirstCloseReasonWhenAFlushFailsDuringAGracefulClose() throws Exception {
        try (LoopFixture f = new LoopFixture("first-reason")) {
            EventLoop loop = f.startLoop();
            RecordingHandler h = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    c.write(ByteBuffer.allocate(4 << 20));
                    c.close(); // graceful: flush first
                }
            };
            ConnectionConfig cc = ConnectionConfig.defaults().withSocketBuffers(8 * 1024, 0)
                    .withMaxPendingOutputBytes(8 << 20).withWatermarks(6 << 20, 1 << 20);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> h);
            SocketChannel client = f.track(SocketChannel.open());
            client.setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024);
            client.connect(l.localAddress());
            LoopFixture.await(() -> loop.stats().partialWrites() > 0, "the flush to stall");
            client.setOption(StandardSocketOptions.SO_LINGER, 0);
            client.close(); // RST: the flush fails
            assertTrue(h.closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.LOCAL, h.closeReason, "the close came first; the flush error is the cause");
            assertInstanceOf(IOException.class, h.closeCause);
        }
    }

    @Test
    void shouldRefuseADeadlineTooFarFromNowToCompareOnAWrappingClock() throws Exception {
        try (LoopFixture f = new LoopFixture("deadline-min")) {
            EventLoop loop = f.startLoop();
            RecordingHandler h = new RecordingHandler();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> h);
            f.connect(l.localAddress());
            assertTrue(h.opened.await(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, thrownOnLoop(loop, () -> h.connection.setDeadline(Long.MIN_VALUE)),
                    "Long.MIN_VALUE was silently accepted");
        }
    }

    @Test
    void shouldRefuseToAwaitTerminationOnTheLoopThread() throws Exception {
        try (LoopFixture f = new LoopFixture("await-self")) {
            EventLoop loop = f.startLoop();
            assertInstanceOf(IllegalStateException.class,
                    thrownOnLoop(loop, () -> loop.awaitTermination(TimeUnit.SECONDS.toNanos(2))), "waited on itself");
        }
    }

    @Test
    void shouldNotTurnAVirtualMachineErrorIntoAHandlerError() throws Exception {
        try (LoopFixture f = new LoopFixture("vm-error")) {
            EventLoop loop = f.startLoop();
            RecordingHandler h = new RecordingHandler() {
                @Override
                public void onData(Connection c, ByteBuffer data) {
                    throw new OutOfMemoryError("simulated");
                }
            };
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> h);
            SocketChannel client = f.connect(l.localAddress());
            Bytes.writeFully(client, new byte[1]);
            assertTrue(loop.awaitTermination(TimeUnit.SECONDS.toNanos(10)), "the loop went on after an OutOfMemoryError");
            assertNotEquals(CloseReason.HANDLER_ERROR, h.closeReason);
            assertEquals(0, loop.stats().handlerErrors());
            assertEquals(1, f.errors.size());
            assertInstanceOf(OutOfMemoryError.class, f.errors.get(0));
            f.errors.clear();
        }
    }
}
