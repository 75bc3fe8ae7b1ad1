package dev.sluice.samples.support;

import dev.sluice.EventLoop;
import dev.sluice.LoopStats;
import dev.sluice.samples.echo.EchoServer;
import dev.sluice.samples.echo.ServerConfig;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One line of loop counters, read from the test thread while the loop serves a real client. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StatsPrinterTest {

    @Test
    void shouldPrintWhatHappenedSinceThePreviousLineAndTheGaugesNow() throws Exception {
        try (LoopFixture f = new LoopFixture("stats")) {
            EventLoop loop = f.startLoop();
            EchoServer server = EchoServer.start(loop, ServerConfig.defaults(), System.err);
            Output out = new Output();
            StatsPrinter printer = StatsPrinter.start("echo-server", loop, Duration.ZERO, out.stream);

            SocketChannel client = f.connect(server.address());
            client.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("hello\n", new String(Bytes.readExactly(client, 6), StandardCharsets.US_ASCII));
            // The client can read the echo before the loop thread has counted the write that sent it:
            // wait until the loop has counted everything the first line is checked for.
            LoopFixture.await(() -> {
                LoopStats s = loop.stats();
                return s.openConnections() == 1 && s.accepts() == 1 && s.bytesRead() == 6 && s.bytesWritten() == 6;
            }, "the echo counted");
            printer.printNow();
            client.close();
            // Both observed before the line is taken: each counter is read coherently, so the line's
            // snapshot cannot see an older value of either.
            LoopFixture.await(() -> loop.stats().closesTotal() == 1 && loop.stats().openConnections() == 0,
                    "the server's close");
            printer.printNow();
            printer.close();
            server.close();

            List<String> lines = out.text().lines().toList();
            assertEquals(2, lines.size(), out.text());
            Map<String, Long> first = StatsLines.totals(lines.get(0), "echo-server");
            assertEquals(1, first.get("open"));
            assertEquals(1, first.get("accepts"));
            assertEquals(6, first.get("bytesIn"));
            assertEquals(6, first.get("bytesOut"));
            assertEquals(0, first.get("closes"));
            Map<String, Long> second = StatsLines.totals(lines.get(1), "echo-server");
            assertEquals(0, second.get("open"));
            assertEquals(0, second.get("accepts"), "counts are since the previous line");
            assertEquals(1, second.get("closes"));
            assertEquals(0, second.get("bytesIn"));
            assertTrue(lines.get(0).startsWith("echo-server stats: open=1 accepts=+1 closes=+0 "), lines.get(0));
        }
    }

    @Test
    void shouldRefuseANegativeInterval() throws Exception {
        try (LoopFixture f = new LoopFixture("stats-negative")) {
            EventLoop loop = f.startLoop();
            assertThrows(IllegalArgumentException.class,
                    () -> StatsPrinter.start("x", loop, Duration.ofSeconds(-1), new Output().stream));
        }
    }
}
