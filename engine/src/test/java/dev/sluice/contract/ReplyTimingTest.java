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
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When output written from {@code onData} leaves: a reply to the connection being read goes out in the
 * iteration of its read (right after it, not in a later flush phase), and a write from that same
 * {@code onData} to another connection goes out before the loop sleeps again. The reply path does not
 * put its connection on the flush list (issue 14), so this pins that nothing waits for a list it is no
 * longer on. The loop is driven by hand: one {@code runOnce} is one iteration.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReplyTimingTest {
    private static final long T0 = 1_000_000_000L;

    @Test
    void shouldWriteAReplyInItsReadsIterationAndAnotherConnectionsBeforeTheNextSleep() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (LoopFixture f = new LoopFixture("reply-timing");
             ServerSocketChannel server = ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(5_000_000L));
            Connection[] conns = new Connection[2];
            int[] reads = new int[1];
            ConnectionHandler echoAndForward = new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    conns[0] = c;
                }

                @Override
                public void onData(Connection c, ByteBuffer data) {
                    reads[0]++;
                    ByteBuffer copy = data.duplicate();
                    c.writeCopy(data); // the reply
                    conns[1].writeCopy(copy); // and the same bytes to the other connection
                }
            };
            ConnectionHandler quiet = new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    conns[1] = c;
                }

                @Override
                public void onData(Connection c, ByteBuffer data) {
                    data.position(data.limit());
                }
            };
            InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
            server.configureBlocking(false);
            // One at a time, so that the first socket accepted is the first connection's peer.
            loop.connect(address, ConnectionConfig.defaults(), echoAndForward);
            SocketChannel first = f.track(LoopFixture.runUntilAccepted(loop, T0, server, () -> conns[0] != null));
            loop.connect(address, ConnectionConfig.defaults(), quiet);
            SocketChannel second = f.track(LoopFixture.runUntilAccepted(loop, T0, server, () -> conns[1] != null));

            first.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
            long writesBefore = loop.stats().writes();
            LoopFixture.runUntil(loop, T0, () -> reads[0] == 1);

            // The iteration that read "ping" has returned: the kernel has the reply, the other
            // connection's copy waits for the next flush phase.
            assertEquals(0, conns[0].pendingOutputBytes(), "the reply left in the iteration of its read");
            assertEquals(writesBefore + 1, loop.stats().writes(), "one write: the reply's");
            assertEquals(4, conns[1].pendingOutputBytes(), "a write to another connection is queued for the flush phase");
            assertEquals(4, loop.stats().pendingOutputBytes());

            loop.runOnce(T0); // the next iteration's flush phase, before it selects
            assertEquals(0, conns[1].pendingOutputBytes(), "it left before the loop slept again");
            assertEquals(writesBefore + 2, loop.stats().writes());
            assertEquals(0, loop.stats().pendingOutputBytes(), "the loop counts nothing pending");
            assertEquals("ping", readFour(first));
            assertEquals("ping", readFour(second));

            conns[0].abort();
            conns[1].abort();
            loop.runOnce(T0);
        }
    }

    /** Four bytes from the peer, waiting for them (the kernel has them: the loop wrote them). */
    private static String readFour(SocketChannel peer) throws IOException {
        peer.configureBlocking(true);
        ByteBuffer b = ByteBuffer.allocate(4);
        while (b.hasRemaining() && peer.read(b) >= 0) {
            // until all four are here
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
    }
}
