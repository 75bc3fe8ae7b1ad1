package dev.sluice.jmh;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;
import dev.sluice.LoopConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The far ends of {@link HeartbeatBenchmark}'s connections, in a process of their own: 10,000
 * connections are 20,000 descriptors, over this machine's hard limit of 20,000 for one process (and
 * {@code ulimit -n} cannot raise a hard limit without root's {@code CAP_SYS_RESOURCE}).
 *
 * <p>{@code IdlePeers HOST PORT COUNT silent|answering}: opens {@code COUNT} connections on one loop,
 * prints {@code ready COUNT} once all are open, then reads and discards what arrives; {@code answering}
 * peers write a {@code /pong} line for every {@code /ping} line. Ends when standard input ends (the
 * benchmark closes it, or dies), or with status 1 when a connection fails.
 *
 * <p>Thread: main waits; the loop thread does the rest.
 */
public final class IdlePeers {
    private IdlePeers() {
    }

    /**
     * Thread: main.
     *
     * @param args host, port, count, {@code silent} or {@code answering}
     * @throws Exception when standard input cannot be read
     */
    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        boolean answering = args[3].equals("answering");
        PrintStream out = System.out;
        CountDownLatch open = new CountDownLatch(count);
        AtomicInteger failed = new AtomicInteger();
        try (EventLoop loop = EventLoop.start(LoopConfig.defaults().withName("idle-peers"))) {
            ConnectionConfig cc = ConnectionConfig.defaults().withConnectTimeout(java.time.Duration.ofSeconds(60));
            for (int i = 0; i < count; i++) {
                loop.connect(server, cc, new Peer(answering, open, failed));
                if (i % 512 == 511) {
                    Thread.sleep(5); // stay under the listener's backlog while it accepts
                }
            }
            if (!open.await(120, TimeUnit.SECONDS) || failed.get() > 0) {
                out.println("failed " + failed.get() + " of " + count);
                System.exit(1);
            }
            out.println("ready " + count);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // nothing to do: end of input ends the peers
            }
        } catch (IOException e) {
            out.println("failed: " + e);
            System.exit(1);
        }
    }

    /** One far end: counts its open, discards input, answers pings when asked to. */
    private static final class Peer implements ConnectionHandler {
        private static final ByteBuffer PONG = ByteBuffer.wrap("/pong\n".getBytes(StandardCharsets.US_ASCII))
                .asReadOnlyBuffer();
        private final boolean answering;
        private final CountDownLatch open;
        private final AtomicInteger failed;
        private final ByteBuffer pong = PONG.duplicate();
        private boolean opened;

        Peer(boolean answering, CountDownLatch open, AtomicInteger failed) {
            this.answering = answering;
            this.open = open;
            this.failed = failed;
        }

        @Override
        public void onOpen(Connection c) {
            opened = true;
            open.countDown();
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            while (data.hasRemaining()) {
                if (data.get() == '\n' && answering) {
                    pong.rewind();
                    c.writeCopy(pong);
                }
            }
        }

        @Override
        public void onClose(Connection c, CloseReason reason, Throwable cause) {
            if (!opened) {
                failed.incrementAndGet();
                open.countDown();
            }
        }
    }
}
