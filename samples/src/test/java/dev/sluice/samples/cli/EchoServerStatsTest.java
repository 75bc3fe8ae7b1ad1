package dev.sluice.samples.cli;

import dev.sluice.samples.Capture;
import dev.sluice.samples.Io;
import dev.sluice.samples.Main;
import dev.sluice.samples.Threads;
import dev.sluice.samples.support.Output;
import dev.sluice.samples.support.StatsLines;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code echo-server --stats-interval}: one line of loop counters per interval, from its own thread. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoServerStatsTest {

    @Test
    void shouldPrintLoopCountersEveryIntervalWhileServing() throws Exception {
        Output out = new Output();
        Output err = new Output();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out.stream, err.stream);
        AtomicInteger exit = new AtomicInteger(Integer.MIN_VALUE);
        Thread cmd = new Thread(() -> exit.set(Main.execute(io, "echo-server", "--port", "0", "--stats-interval", "20ms")),
                "command-under-test");
        cmd.start();
        int port = Integer.parseInt(out.await("listening on 127\\.0\\.0\\.1:(\\d+)"));
        try (LoopFixture f = new LoopFixture("echo-stats-clients")) {
            SocketChannel client = f.connect(new InetSocketAddress("127.0.0.1", port));
            client.write(ByteBuffer.wrap("one line\n".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("one line\n", new String(Bytes.readExactly(client, 9), StandardCharsets.US_ASCII));

            Map<String, Long> totals = StatsLines.await(out, "echo-server", Map.of("accepts", 1L, "bytesIn", 9L, "bytesOut", 9L));

            assertEquals(1, totals.get("accepts"), out.text());
            assertEquals(9, totals.get("bytesIn"), out.text());
            assertEquals(9, totals.get("bytesOut"), out.text());
            assertEquals(0, totals.get("errors"), out.text());
        }
        cmd.interrupt(); // what the command takes for Ctrl-C when run in-process
        cmd.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(cmd.isAlive(), "echo-server did not stop");
        assertEquals(0, exit.get());
        assertTrue(err.text().endsWith("echo-server: stopped\n"), err.text());
        Threads.assertNoneAlive("echo-server"); // the loop thread and the stats thread
    }

    @Test
    void shouldRefuseAStatsIntervalUnderTenMillisecondsAsAUsageMistake() throws Exception {
        Capture out = new Capture();
        Capture err = new Capture();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out.stream, err.stream);

        assertEquals(2, Main.execute(io, "echo-server", "--port", "0", "--stats-interval", "1ms"));

        assertEquals("sluice-samples echo-server: --stats-interval must be 0 (off) or at least 10ms: 1ms "
                + "(see 'sluice-samples echo-server --help')\n", err.text());
        Threads.assertNoneAlive("echo-server");
    }
}
