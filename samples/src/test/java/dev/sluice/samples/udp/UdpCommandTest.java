package dev.sluice.samples.udp;

import dev.sluice.samples.Threads;
import dev.sluice.samples.support.BackgroundCommand;
import dev.sluice.samples.support.Output;
import dev.sluice.samples.support.StatsLines;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpCommandTest {

    @Test
    void shouldRunACountedEchoFromCommandToCommand() throws Exception {
        Output serverOut = new Output();
        Output serverErr = new Output();
        BackgroundCommand server = BackgroundCommand.start(new UdpEchoServerCommand(serverOut.stream, serverErr.stream),
                "--port", "0");
        String port = serverOut.await("echoing on 127\\.0\\.0\\.1:(\\d+)");
        Output out = new Output();
        Output err = new Output();

        int exit = new CommandLine(new UdpClientCommand(new ByteArrayInputStream(new byte[0]), out.stream, err.stream))
                .execute("--count", "2000", "--size", "100", "127.0.0.1:" + port);

        assertEquals(0, exit, err.text());
        assertTrue(out.text().startsWith("udp-client: 2000 sent, 2000 received, 0 lost, 0 duplicates"), out.text());
        assertEquals("", err.text());
        assertEquals(0, server.stop());
        assertTrue(serverOut.text().endsWith("udp-echo-server: 2000 received, 2000 echoed, 0 dropped\n"),
                serverOut.text());
    }

    @Test
    void shouldPrintTheLoopsDatagramCountersEveryStatsInterval() throws Exception {
        Output serverOut = new Output();
        BackgroundCommand server = BackgroundCommand.start(new UdpEchoServerCommand(serverOut.stream, new Output().stream),
                "--port", "0", "--stats-interval", "20ms");
        int port = Integer.parseInt(serverOut.await("echoing on 127\\.0\\.0\\.1:(\\d+)"));
        try (DatagramChannel client = DatagramChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            client.connect(new InetSocketAddress("127.0.0.1", port));
            for (int i = 0; i < 3; i++) {
                client.write(ByteBuffer.wrap(("datagram " + i).getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer echo = ByteBuffer.allocate(64);
                client.read(echo); // blocking: the echo of this datagram
                assertEquals("datagram " + i, new String(echo.array(), 0, echo.position(), StandardCharsets.US_ASCII));
            }

            Map<String, Long> totals = StatsLines.await(serverOut, "udp-echo-server",
                    Map.of("datagramsIn", 3L, "datagramsOut", 3L));

            assertEquals(3, totals.get("datagramsIn"), serverOut.text());
            assertEquals(3, totals.get("datagramsOut"), serverOut.text());
        }
        assertEquals(0, server.stop());
        assertTrue(serverOut.text().endsWith("udp-echo-server: 3 received, 3 echoed, 0 dropped\n"), serverOut.text());
        Threads.assertNoneAlive("udp-echo-server");
    }

    @Test
    void shouldSendEachInputLineAsADatagramAndPrintTheReplies() throws Exception {
        Output serverOut = new Output();
        BackgroundCommand server = BackgroundCommand.start(new UdpEchoServerCommand(serverOut.stream, new Output().stream),
                "--port", "0");
        String port = serverOut.await("echoing on 127\\.0\\.0\\.1:(\\d+)");
        Output out = new Output();
        Output err = new Output();
        byte[] typed = "hello\nw\u00f6rld\n".getBytes(StandardCharsets.UTF_8);

        int exit = new CommandLine(new UdpClientCommand(new ByteArrayInputStream(typed), out.stream, err.stream))
                .execute("localhost:" + port);

        assertEquals(0, exit, err.text());
        assertTrue(out.text().contains("hello\n"), out.text());
        assertTrue(out.text().contains("w\u00f6rld\n"), out.text());
        assertEquals(0, server.stop());
    }

    @Test
    void shouldExitOneAndSayHowManyWereLostWhenNobodyEchoes() throws Exception {
        try (DatagramChannel silent = DatagramChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            int port = ((InetSocketAddress) silent.getLocalAddress()).getPort();
            Output out = new Output();
            Output err = new Output();

            int exit = new CommandLine(new UdpClientCommand(new ByteArrayInputStream(new byte[0]), out.stream, err.stream))
                    .execute("--count", "5", "--timeout", "100ms", "127.0.0.1:" + port);

            assertEquals(1, exit);
            assertTrue(out.text().startsWith("udp-client: 5 sent, 0 received, 5 lost"), out.text());
            assertEquals("udp-client: 5 of 5 datagrams got no echo within 100ms\n", err.text());
        }
    }

    @Test
    void shouldRefuseBadArgumentsWithOneLine() {
        Output err = new Output();
        int exit = new CommandLine(new UdpClientCommand(new ByteArrayInputStream(new byte[0]), new Output().stream,
                err.stream)).execute("--count", "10", "--size", "8", "127.0.0.1:9");
        assertEquals(2, exit);
        assertEquals("udp-client: datagram size must be 16..65507 bytes: 8\n", err.text());
    }
}
