package dev.sluice.samples.udp;

import dev.sluice.DatagramConfig;
import dev.sluice.EventLoop;
import dev.sluice.LoopStats;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpEchoTest {

    @Test
    void shouldEchoTenThousandDatagramsOnLoopbackWithEqualSentAndReceivedCounts() throws Exception {
        int n = 10_000;
        try (LoopFixture f = new LoopFixture("udp-10k")) {
            EventLoop serverLoop = f.startLoop();
            EventLoop clientLoop = f.startLoop();
            UdpEchoServer server = UdpEchoServer.start(serverLoop, LoopFixture.ANY_LOOPBACK, DatagramConfig.defaults());

            UdpReport report = UdpEchoClient.run(clientLoop, server.address(),
                    new UdpRunConfig(n, 512, 64, TimeUnit.SECONDS.toNanos(5))).get(30, TimeUnit.SECONDS);

            assertEquals(n, report.sent(), report.toString());
            assertEquals(n, report.received(), report.toString());
            assertEquals(0, report.lost());
            assertEquals(0, report.duplicates());
            assertEquals(0, report.malformed());
            assertEquals(0, report.refused());
            assertEquals(n, server.receivedCount());
            LoopFixture.await(() -> server.echoedCount() == n, "the server to count its last echo");
            assertEquals(0, server.droppedCount());
            LoopStats s = serverLoop.stats();
            assertEquals(n, s.datagramsReceived());
            assertEquals(n, s.datagramsSent());
            LoopStats c = clientLoop.stats();
            assertEquals(n, c.datagramsSent());
            assertEquals(n, c.datagramsReceived());
            assertEquals(0, c.datagramsDropped());
            System.out.println("udp echo of " + n + " datagrams: " + report);
            server.close();
        }
    }

    @Test
    void shouldCountOversizeDatagramsAsDroppedByTheServerAndLostByTheClient() throws Exception {
        try (LoopFixture f = new LoopFixture("udp-oversize")) {
            EventLoop loop = f.startLoop(); // client and server on one loop, like any mix of sockets
            UdpEchoServer server = UdpEchoServer.start(loop, LoopFixture.ANY_LOOPBACK,
                    DatagramConfig.defaults().withMaxDatagramBytes(1000));

            UdpReport report = UdpEchoClient.run(loop, server.address(),
                    new UdpRunConfig(20, 2000, 4, TimeUnit.MILLISECONDS.toNanos(100))).get(30, TimeUnit.SECONDS);

            assertEquals(20, report.sent());
            assertEquals(0, report.received());
            assertEquals(20, report.lost());
            assertEquals(20, server.receivedCount() + server.droppedCount(), "every datagram accounted for");
            assertEquals(20, server.droppedCount(), "too big: dropped and counted, not echoed cut short");
            assertEquals(0, server.echoedCount());
            server.close();
        }
    }
}
