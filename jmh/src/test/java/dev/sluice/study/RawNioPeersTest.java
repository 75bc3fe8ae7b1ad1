package dev.sluice.study;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK's floor peers measure only if they are right: the raw NIO echo server returns every byte, in
 * order, also when the kernel takes its writes in parts (a client that keeps sending without reading
 * fills the echo's way back), and the raw NIO load generator counts round trips against it.
 * Real loopback sockets; each test ends with the server's thread gone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawNioPeersTest {

    @Test
    void shouldEchoEveryByteThroughPartialWrites() throws Exception {
        RawNioEchoServer server = RawNioEchoServer.start(new InetSocketAddress("127.0.0.1", 0));
        byte[] sent = new byte[32 << 20];
        new Random(7).nextBytes(sent);
        byte[] back = new byte[sent.length];
        try (SocketChannel client = SocketChannel.open()) {
            client.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024); // the server's echo soon finds it full
            client.connect(server.address());
            client.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap(sent);
            ByteBuffer in = ByteBuffer.wrap(back);
            // Write without reading until the server reports a write the kernel took only part of: its
            // echo has nowhere to go but our 16 KiB receive buffer and its own send buffer (at most a few
            // MiB), so that comes long before 32 MiB are written.
            while (server.partialWrites() == 0 && out.hasRemaining()) {
                client.write(out);
                Thread.onSpinWait();
            }
            assertTrue(server.partialWrites() > 0, "the partial-write path ran before the data ran out");
            while (in.hasRemaining()) { // write ahead as far as the kernel lets us, read what came back
                if (out.hasRemaining()) {
                    client.write(out);
                }
                if (client.read(in) < 0) {
                    break;
                }
                if (!out.hasRemaining() && in.hasRemaining()) {
                    Thread.onSpinWait(); // the echo is on its way: the server thread is writing it
                }
            }
        } finally {
            server.close();
        }
        assertArrayEquals(sent, back, "every byte back, in order");
        assertTrue(server.bytesEchoed() <= sent.length);
        assertFalse(threadAlive("raw-nio-echo"), "the server's thread ended");
    }

    @Test
    void shouldCountRoundTripsAgainstTheRawServer() throws Exception {
        RawNioEchoServer server = RawNioEchoServer.start(new InetSocketAddress("127.0.0.1", 0));
        try {
            RawNioLoad load = new RawNioLoad(64, 4);
            double rate = load.run(server.address(), 8, 0.1, 0.3);
            assertTrue(rate > 0, "messages per second: " + rate);
            assertTrue(load.percentileUs(0.99) > 0, "latencies were recorded");
        } finally {
            server.close();
        }
        assertFalse(threadAlive("raw-nio-echo"), "the server's thread ended");
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
