package dev.sluice.reliability;

import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.LoopStats;
import dev.sluice.testing.Fds;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * No empty-select spin: a loop with 1,000 idle connections sleeps in {@code select}. The connections sit
 * in each quiet state that makes a level-triggered selector report readiness forever if the loop
 * forgets to drop an interest: a peer's FIN already read, input waiting while reading is paused, a
 * socket full while output waits.
 *
 * <p>This is the one test here that must use real time: a spin is iterations per real second.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReliabilityIdleSpinTest {
    private static final int CONNECTIONS = 1000;

    /** By accept order: 0 plain idle, 1 peer half-closed (kept open), 2 paused with input waiting, 3 unwritable. */
    static final class QuietHandler extends RecordingHandler {
        final int kind;
        volatile boolean inputClosed;

        QuietHandler(int kind) {
            this.kind = kind;
        }

        @Override
        public void onOpen(Connection c) {
            super.onOpen(c);
            if (kind == 2) {
                c.pauseReading();
            } else if (kind == 3) {
                c.write(ByteBuffer.allocate(1 << 20)); // to a peer that never reads
            }
        }

        @Override
        public void onInputClosed(Connection c) {
            inputClosed = true; // keep the connection: its EOF stays "readable" for ever
        }
    }

    /** Waits (at most 10 s) until 300 ms pass without a read or a write. */
    private static void awaitNoIo(EventLoop loop) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        LoopStats last = loop.stats();
        int quietSamples = 0;
        while (quietSamples < 3 && System.nanoTime() - giveUp < 0) {
            Thread.sleep(100);
            LoopStats now = loop.stats();
            boolean quiet = now.reads() == last.reads() && now.writes() == last.writes();
            quietSamples = quiet ? quietSamples + 1 : 0;
            last = now;
        }
    }

    @Test
    void shouldSleepInSelectWithThousandIdleConnectionsInEveryQuietState() throws Exception {
        assumeTrue(Fds.limit() >= 2 * CONNECTIONS + 200, "needs ulimit -n of at least " + (2 * CONNECTIONS + 200));
        try (LoopFixture f = new LoopFixture("idle-spin")) {
            EventLoop loop = f.startLoop();
            AtomicInteger accepted = new AtomicInteger();
            ConnectionConfig cc = ConnectionConfig.defaults().withSocketBuffers(16 * 1024, 16 * 1024);
            TrackedServer<QuietHandler> s = TrackedServer.listen(loop, cc,
                    () -> new QuietHandler(accepted.getAndIncrement() % 4));
            List<SocketChannel> clients = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                SocketChannel ch = f.track(SocketChannel.open());
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
                ch.connect(s.address()); // one at a time: accept order is connect order
                clients.add(ch);
            }
            LoopFixture.await(() -> s.handlers.size() == CONNECTIONS, "all accepted");
            for (int i = 0; i < CONNECTIONS; i++) {
                if (i % 4 == 1) {
                    clients.get(i).shutdownOutput();
                } else if (i % 4 == 2) {
                    clients.get(i).write(ByteBuffer.allocate(1024));
                }
            }
            LoopFixture.await(() -> s.handlers.stream().allMatch(h -> switch (h.kind) {
                case 1 -> h.inputClosed;
                case 3 -> !h.writability.isEmpty();
                default -> true;
            }), "every connection in its quiet state");
            LoopFixture.await(() -> s.handlers.stream().filter(h -> h.kind == 3)
                    .allMatch(h -> loop.stats().partialWrites() >= CONNECTIONS / 4), "output waiting on full sockets");

            // Full sockets may still trickle (the peer's kernel frees a little space now and then): let
            // that settle so the second measured is idle, not a continuation of the set-up.
            awaitNoIo(loop);

            LoopStats before = loop.stats();
            Thread.sleep(1000);
            LoopStats after = loop.stats();

            long iterations = after.iterations() - before.iterations();
            long empty = after.emptySelects() - before.emptySelects();
            long io = (after.reads() - before.reads()) + (after.writes() - before.writes());
            String seen = iterations + " iterations, " + empty + " empty selects, " + io + " reads and writes";
            // Idle, the loop wakes once per maxSelectWait (1 s); a spin would be thousands of empty selects.
            assertTrue(empty <= 3, "the loop spins: " + seen);
            assertTrue(iterations <= 5 + io && io <= 20, "iterations without I/O to justify them: " + seen);
            assertEquals(CONNECTIONS, after.openConnections());
            assertEquals(0, s.handlers.stream().filter(h -> h.kind == 2).mapToLong(h -> h.bytesIn.get()).sum(),
                    "a paused connection was read");
        }
    }
}
