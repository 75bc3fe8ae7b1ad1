package dev.sluice;

import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatagramTest {

    @Test
    void shouldEchoDatagramsOnTheLoopAndCountThem() throws Exception {
        try (LoopFixture f = new LoopFixture("udp")) {
            EventLoop loop = f.startLoop();
            CountDownLatch closed = new CountDownLatch(1);
            DatagramEndpoint server = loop.bindDatagram(LoopFixture.ANY_LOOPBACK, DatagramConfig.defaults(),
                    new DatagramHandler() {
                        @Override
                        public void onDatagram(DatagramEndpoint ep, ByteBuffer data, java.net.SocketAddress from) {
                            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
                            ep.send(copy, from);
                        }

                        @Override
                        public void onClose(DatagramEndpoint ep, CloseReason reason, Throwable cause) {
                            closed.countDown();
                        }
                    });
            DatagramChannel client = f.track(DatagramChannel.open());
            client.bind(LoopFixture.ANY_LOOPBACK);
            client.connect(server.localAddress());
            ByteBuffer in = ByteBuffer.allocate(2048);
            int n = 1000;
            for (int i = 0; i < n; i++) {
                ByteBuffer out = ByteBuffer.allocate(8).putLong(i).flip();
                client.write(out);
                in.clear();
                client.read(in); // ping-pong, so nothing is lost to a full receive buffer
                in.flip();
                assertEquals(i, in.getLong());
            }
            assertEquals(n, server.receivedCount());
            // The echo can reach us before the loop thread counts its send: wait for the count.
            LoopFixture.await(() -> server.sentCount() == n, "all sends counted");
            assertEquals(0, server.droppedCount());
            server.close();
            assertTrue(closed.await(10, TimeUnit.SECONDS));
            assertEquals(n, loop.stats().datagramsReceived());
        }
    }

    @Test
    void shouldDropAndCountOversizeDatagramsInsteadOfTruncating() throws Exception {
        try (LoopFixture f = new LoopFixture("udp-oversize")) {
            EventLoop loop = f.startLoop();
            java.util.List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();
            DatagramEndpoint server = loop.bindDatagram(LoopFixture.ANY_LOOPBACK,
                    DatagramConfig.defaults().withMaxDatagramBytes(100), (ep, data, from) -> sizes.add(data.remaining()));
            DatagramChannel client = f.track(DatagramChannel.open());
            client.connect(server.localAddress());
            client.write(ByteBuffer.allocate(101));
            client.write(ByteBuffer.allocate(100));
            LoopFixture.await(() -> server.receivedCount() + server.droppedCount() == 2, "both datagrams seen");
            assertEquals(java.util.List.of(100), sizes);
            assertEquals(1, server.droppedCount());
            assertEquals(1, loop.stats().datagramsDropped());
        }
    }

    @Test
    void shouldCloseEndpointOnLoopShutdown() throws Exception {
        try (LoopFixture f = new LoopFixture("udp-shutdown")) {
            EventLoop loop = f.startLoop();
            CountDownLatch closed = new CountDownLatch(1);
            CloseReason[] reason = new CloseReason[1];
            DatagramEndpoint ep = loop.bindDatagram(new InetSocketAddress("127.0.0.1", 0), DatagramConfig.defaults(),
                    new DatagramHandler() {
                        @Override
                        public void onDatagram(DatagramEndpoint e, ByteBuffer data, java.net.SocketAddress from) {
                        }

                        @Override
                        public void onClose(DatagramEndpoint e, CloseReason r, Throwable cause) {
                            reason[0] = r;
                            closed.countDown();
                        }
                    });
            LoopFixture.await(() -> loop.stats().iterations() > 1, "registered");
            loop.close();
            assertTrue(closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.SHUTDOWN, reason[0]);
            assertEquals(false, ep.send(ByteBuffer.allocate(1), ep.localAddress()), "refused after the loop ended");
        }
    }
}
