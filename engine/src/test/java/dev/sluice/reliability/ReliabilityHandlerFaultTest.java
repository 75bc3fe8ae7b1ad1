package dev.sluice.reliability;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.LoopStats;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.EchoProbe;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Handler exceptions thrown at random in 1% of callbacks over 3,000 connections: the loop survives, each
 * connection whose handler threw closes with {@link CloseReason#HANDLER_ERROR} (its exception as the
 * cause, reported once to the error handler), and every other connection is served byte-exact.
 *
 * <p>Which callbacks throw comes from a random generator seeded by the connection's accept index, so a
 * run is repeatable in what it checks even though how TCP splits the bytes (and so how many onData calls
 * there are) is not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReliabilityHandlerFaultTest {
    private static final int CONNECTIONS = 3_000;
    private static final int CLIENT_THREADS = 8;
    private static final int MESSAGE = 4 * 1024;
    private static final long SEED = 0x5EED;

    /** An echo handler that throws in 1% of its callbacks. */
    static final class FaultyEcho extends RecordingHandler {
        private final Random random;
        volatile RuntimeException thrown;

        /** Faults only in the first CONNECTIONS connections; later ones check that the loop still serves. */
        FaultyEcho(int acceptIndex) {
            this.random = acceptIndex < CONNECTIONS ? new Random(SEED + acceptIndex) : null;
        }

        private void maybeThrow(String callback) {
            if (random != null && random.nextInt(100) == 0) {
                thrown = new IllegalStateException("injected fault in " + callback);
                throw thrown;
            }
        }

        @Override
        public void onOpen(Connection c) {
            super.onOpen(c);
            maybeThrow("onOpen");
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            maybeThrow("onData");
            super.onData(c, data);
        }

        @Override
        public void onInputClosed(Connection c) {
            maybeThrow("onInputClosed");
            super.onInputClosed(c);
        }
    }

    @Test
    void shouldCloseOnlyConnectionsWhoseHandlerThrewAndServeTheRestByteExact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
        try (LoopFixture f = new LoopFixture("faults")) {
            EventLoop loop = f.startLoop();
            AtomicInteger accepted = new AtomicInteger();
            TrackedServer<FaultyEcho> s = TrackedServer.listen(loop, ConnectionConfig.defaults(),
                    () -> new FaultyEcho(accepted.getAndIncrement()));

            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < CLIENT_THREADS; t++) {
                long seed = t;
                results.add(pool.submit(() -> clients(s.address(), CONNECTIONS / CLIENT_THREADS, seed)));
            }
            int complete = 0;
            for (Future<int[]> r : results) {
                complete += r.get(60, TimeUnit.SECONDS)[0]; // a corrupted echo fails here
            }
            LoopFixture.await(() -> s.handlers.size() == CONNECTIONS
                    && s.handlers.stream().allMatch(h -> h.closeReason != null), "all closed");

            int faulted = 0;
            for (FaultyEcho h : List.copyOf(s.handlers)) {
                if (h.thrown != null) {
                    faulted++;
                    assertEquals(CloseReason.HANDLER_ERROR, h.closeReason);
                    assertSame(h.thrown, h.closeCause, "the exception is the close cause");
                } else {
                    assertEquals(CloseReason.PEER_CLOSED, h.closeReason, "an unaffected connection");
                    assertEquals(MESSAGE, h.bytesIn.get());
                }
            }
            assertTrue(faulted >= onOpenFaults(), faulted + " faults, fewer than the " + onOpenFaults()
                    + " onOpen rolls that must throw");
            assertTrue(complete >= CONNECTIONS - faulted, complete + " complete echoes, " + faulted + " faults");
            LoopStats st = loop.stats();
            assertEquals(faulted, st.handlerErrors());
            assertEquals(faulted, st.closes(CloseReason.HANDLER_ERROR));
            assertEquals(faulted, f.errors.size(), "each fault reported once");
            assertTrue(f.errors.stream().allMatch(e -> e.getMessage().startsWith("injected fault")));
            f.errors.clear(); // expected, and checked above

            // The loop survived: a newcomer is served.
            assertEquals(20, EchoProbe.start(s.address(), 20, 100, 99).get(20, TimeUnit.SECONDS).rounds());
        } finally {
            pool.shutdownNow();
        }
    }

    /** onOpen is every connection's first roll: these faults happen however TCP splits the bytes. */
    private static int onOpenFaults() {
        int n = 0;
        for (int i = 0; i < CONNECTIONS; i++) {
            if (new Random(SEED + i).nextInt(100) == 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Runs {@code count} connections one after another: send a message, half-close, read to EOF.
     *
     * @return {complete byte-exact echoes}; a prefix that differs throws
     */
    private static int[] clients(InetSocketAddress address, int count, long seed) throws IOException {
        byte[] msg = Bytes.random(seed, MESSAGE);
        int complete = 0;
        for (int i = 0; i < count; i++) {
            try (SocketChannel ch = SocketChannel.open(address)) {
                byte[] echo;
                try {
                    Bytes.writeFully(ch, msg);
                    ch.shutdownOutput();
                    echo = Bytes.readToEof(ch, MESSAGE);
                } catch (IOException | UncheckedIOException resetByFault) {
                    continue; // its handler threw and the server closed it under us
                }
                if (!Arrays.equals(msg, 0, echo.length, echo, 0, echo.length)) {
                    throw new AssertionError("echo is not a prefix of what was sent");
                }
                if (echo.length == MESSAGE) {
                    complete++;
                }
            }
        }
        return new int[] {complete};
    }
}
