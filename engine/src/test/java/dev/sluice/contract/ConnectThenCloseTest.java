package dev.sluice.contract;

import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.ManualClock;
import dev.sluice.testing.Fds;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect 2 of issue 10: {@code connect()} then {@code close()} before the connect has started must open
 * no socket, register no key, leave no connection counted, and deliver {@code onClose} once and nothing
 * after it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectThenCloseTest {

    @Test
    void shouldOpenNothingWhenAConnectIsClosedBeforeItStarts() throws Exception {
        ManualClock clock = new ManualClock(1_000);
        try (LoopFixture f = new LoopFixture("connect-close");
             ServerSocketChannel peer = ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(5_000_000L));
            InetSocketAddress target = (InetSocketAddress) peer.getLocalAddress();
            long fdsBefore = Fds.open();
            RecordingHandler h = new RecordingHandler();
            loop.execute(() -> {
                Connection c = loop.connect(target, ConnectionConfig.defaults(), h);
                c.close();
            });
            for (int i = 0; i < 5; i++) {
                loop.runOnce(clock.nanoTime());
            }
            assertEquals(List.of("close:LOCAL"), h.events, "onClose once, nothing after it");
            assertEquals(0, loop.stats().openConnections(), "the closed connect is not counted open");
            assertEquals(0, loop.registeredKeys(), "no key was registered for it");
            if (Fds.available()) {
                assertEquals(fdsBefore, Fds.open(), "no socket was opened for it");
            }
            loop.close();
        }
    }

    @Test
    void shouldEndAGracefulShutdownAtOnceWhenTheOnlyConnectWasClosedBeforeItStarted() throws Exception {
        try (LoopFixture f = new LoopFixture("connect-close-shutdown");
             ServerSocketChannel peer = ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            EventLoop loop = f.startLoop();
            InetSocketAddress target = (InetSocketAddress) peer.getLocalAddress();
            RecordingHandler h = new RecordingHandler();
            loop.execute(() -> loop.connect(target, ConnectionConfig.defaults(), h).close());
            assertTrue(h.closed.await(10, TimeUnit.SECONDS));
            loop.shutdownGracefully(TimeUnit.SECONDS.toNanos(60));
            assertTrue(loop.awaitTermination(TimeUnit.SECONDS.toNanos(10)), "shutdown waited for a connection that never was");
            assertEquals(List.of("close:LOCAL"), h.events);
        }
    }
}
