package dev.sluice.contract;

import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;
import dev.sluice.ManualClock;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code onWritabilityChanged} is called once per change, even when a change is undone before the loop
 * could report it: a producer that writes from a task (outside any callback) until {@code isWritable()}
 * says false waits for {@code true}, and must get it though the peer drained everything in the same
 * iteration. Found by the 200 x 8 MiB TLS echo, which hung with every byte delivered and every producer
 * waiting.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WritabilityCycleTest {
    private static final long T0 = 1_000_000_000L;

    @Test
    void shouldReportAnUnwritableSpellThatEndedBeforeTheLoopCouldReportIt() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (LoopFixture f = new LoopFixture("writability-cycle");
             ServerSocketChannel server = ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(5_000_000L));
            List<String> events = new CopyOnWriteArrayList<>();
            Connection[] conn = new Connection[1];
            ConnectionHandler handler = new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    conn[0] = c;
                }

                @Override
                public void onData(Connection c, ByteBuffer data) {
                    data.position(data.limit());
                }

                @Override
                public void onWritabilityChanged(Connection c, boolean writable) {
                    events.add("told " + writable);
                }
            };
            loop.connect((InetSocketAddress) server.getLocalAddress(),
                    ConnectionConfig.defaults().withWatermarks(64 * 1024, 32 * 1024), handler);
            server.configureBlocking(false);
            SocketChannel peer = f.track(LoopFixture.runUntilAccepted(loop, T0, server, () -> conn[0] != null));
            peer.configureBlocking(false);

            loop.execute(() -> { // a producer outside any callback: write until told to stop
                while (conn[0].isWritable()) {
                    conn[0].write(ByteBuffer.allocate(16 * 1024));
                }
                events.add("producer saw unwritable");
            });
            loop.execute(() -> drain(peer)); // the peer reads it all before the loop selects again
            for (int i = 0; i < 20 && !events.contains("told true"); i++) {
                loop.runOnce(T0);
                drain(peer);
            }

            assertEquals(List.of("producer saw unwritable", "told false", "told true"), events,
                    "a producer that saw isWritable() false was never told it may write again");
            assertTrue(conn[0].isWritable());
            assertEquals(0, conn[0].pendingOutputBytes());
            conn[0].abort();
            loop.runOnce(T0);
        }
    }

    private static void drain(SocketChannel peer) {
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        try {
            while (peer.read(b.clear()) > 0) {
                // discard
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
