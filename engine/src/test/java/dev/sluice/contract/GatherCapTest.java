package dev.sluice.contract;

import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect 5 of issue 10: one gathering write must not offer every queued byte. The JDK copies each heap
 * buffer of a {@code write(ByteBuffer[])} into a temporary direct buffer, and keeps those per thread;
 * offering 32 MiB to a socket that takes a few hundred KiB used to grow direct memory by 32 MiB.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatherCapTest {
    private static final int PIECE = 1 << 20;
    private static final int PIECES = 32;

    private static long directBytes() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getMemoryUsed();
            }
        }
        throw new AssertionError("no direct buffer pool MXBean");
    }

    @Test
    void shouldKeepDirectMemoryFlatWhileMegabytesOfHeapBuffersWaitForASlowReader() throws Exception {
        try (LoopFixture f = new LoopFixture("gather-cap")) {
            EventLoop loop = f.startLoop();
            ConnectionConfig cc = ConnectionConfig.defaults()
                    .withMaxPendingOutputBytes(64L << 20).withWatermarks(48 << 20, 1 << 20);
            RecordingHandler server = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    for (int i = 0; i < PIECES; i++) {
                        ByteBuffer b = ByteBuffer.allocate(PIECE); // heap: the JDK copies what it offers
                        b.put(0, (byte) i);
                        c.write(b);
                    }
                }
            };
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> server);
            long before = directBytes();
            SocketChannel client = f.track(SocketChannel.open());
            client.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
            client.connect(l.localAddress());
            assertTrue(server.opened.await(10, TimeUnit.SECONDS));
            LoopFixture.await(() -> loop.stats().partialWrites() > 0, "the socket to fill");
            long peak = directBytes() - before;

            ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024); // direct: the test's reads copy nothing
            long total = 0;
            while (total < (long) PIECE * PIECES) {
                in.clear();
                int n = client.read(in);
                assertTrue(n > 0, "EOF before all the output arrived");
                total += n;
                peak = Math.max(peak, directBytes() - before);
            }
            assertEquals((long) PIECE * PIECES, total);
            assertTrue(peak < 4L << 20, "direct memory grew by " + peak + " bytes while 32 MiB waited");
        }
    }
}
