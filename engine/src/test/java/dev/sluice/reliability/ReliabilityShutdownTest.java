package dev.sluice.reliability;

import dev.sluice.CloseReason;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.testing.HostilePeers;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graceful shutdown under load: every byte the server accepted (read and handed to its handler) before
 * the shutdown began is echoed back, byte-exact, before the connection closes. The shutdown starts from a
 * loop task that first notes how much each connection had read, so "before" is exact, not a race.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReliabilityShutdownTest {
    private static final int CLIENTS = 20;
    private static final long MAX_STREAM = 64L << 20;

    /** Streams a per-client pattern as fast as the server takes it, and checks the echo as it comes back. */
    static final class StreamingClient {
        final SocketChannel channel;
        final long salt;
        final AtomicLong received = new AtomicLong();
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private volatile boolean stop;

        StreamingClient(SocketChannel channel, long salt) {
            this.channel = channel;
            this.salt = salt;
        }

        byte expected(long offset) {
            return HostilePeers.patternByte(offset + salt);
        }

        void start() {
            Thread writer = new Thread(this::write, "shutdown-writer-" + salt);
            Thread reader = new Thread(this::read, "shutdown-reader-" + salt);
            writer.setDaemon(true);
            reader.setDaemon(true);
            writer.start();
            reader.start();
        }

        private void write() {
            ByteBuffer b = ByteBuffer.allocate(16 * 1024);
            try {
                for (long sent = 0; sent < MAX_STREAM && !stop; ) {
                    b.clear();
                    for (int i = 0; i < b.capacity(); i++) {
                        b.put(i, expected(sent + i));
                    }
                    while (b.hasRemaining()) {
                        sent += channel.write(b);
                    }
                }
            } catch (IOException closedUnderUs) {
                // The reader closed the channel after the server's FIN: writing is over.
            }
        }

        private void read() {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            try {
                long offset = 0;
                int n;
                while ((n = channel.read(b.clear())) >= 0) {
                    for (int i = 0; i < n; i++) {
                        if (b.get(i) != expected(offset + i)) {
                            throw new IOException("echo differs at byte " + (offset + i));
                        }
                    }
                    offset += n;
                    received.set(offset);
                }
                stop = true;
                channel.close(); // closing last: the server's lingering close sees our FIN and ends
                done.complete(offset);
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        }
    }

    @Test
    void shouldEchoEveryByteAcceptedBeforeGracefulShutdownBegan() throws Exception {
        try (LoopFixture f = new LoopFixture("shutdown")) {
            EventLoop loop = f.startLoop();
            TrackedServer<RecordingHandler> s = TrackedServer.listen(loop, ConnectionConfig.defaults(),
                    RecordingHandler::new);
            List<StreamingClient> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(new StreamingClient(f.connect(s.address()), 1_000_003L * i)); // accept order = i
            }
            LoopFixture.await(() -> s.handlers.size() == CLIENTS, "all accepted");
            clients.forEach(StreamingClient::start);
            LoopFixture.await(() -> clients.stream().allMatch(c -> c.received.get() >= 256 * 1024), "under load");

            CompletableFuture<long[]> readAtShutdown = new CompletableFuture<>();
            loop.execute(() -> {
                long[] read = new long[CLIENTS];
                for (int i = 0; i < CLIENTS; i++) {
                    read[i] = s.handler(i).bytesIn.get();
                }
                loop.shutdownGracefully(TimeUnit.SECONDS.toNanos(30));
                readAtShutdown.complete(read);
            });
            long[] accepted = readAtShutdown.get(10, TimeUnit.SECONDS);

            for (int i = 0; i < CLIENTS; i++) {
                long echoed = clients.get(i).done.get(30, TimeUnit.SECONDS); // rethrows a mismatch
                assertEquals(accepted[i], echoed, "client " + i + ": bytes accepted before the shutdown vs echoed");
                assertEquals(accepted[i], s.handler(i).bytesIn.get(), "client " + i + " read after shutdown began");
            }
            assertTrue(loop.awaitTermination(TimeUnit.SECONDS.toNanos(30)), "loop ended");
            s.handlers.forEach(h -> assertEquals(CloseReason.SHUTDOWN, h.closeReason));
        }
    }
}
