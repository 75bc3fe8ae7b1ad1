package dev.sluice.samples.client;

import dev.sluice.EventLoop;
import dev.sluice.samples.Capture;
import dev.sluice.samples.Io;
import dev.sluice.samples.Main;
import dev.sluice.samples.Threads;
import dev.sluice.samples.echo.EchoMode;
import dev.sluice.samples.echo.EchoServer;
import dev.sluice.samples.echo.ServerConfig;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The nc-style client driven through its standard input and output against a real echo server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NcClientTest {
    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopRunner() throws InterruptedException {
        runner.shutdownNow();
        assertTrue(runner.awaitTermination(10, TimeUnit.SECONDS));
        Threads.assertNoneAlive("client"); // the loop thread, and the stdin reader once its input ended
    }

    @Test
    void shouldPrintRepliesAsTheyArriveAndExitZeroAfterEndOfInput() throws Exception {
        try (LoopFixture f = new LoopFixture("client-raw")) {
            EchoServer server = EchoServer.start(f.startLoop(), ServerConfig.defaults(), System.err);
            PipedOutputStream keyboard = new PipedOutputStream();
            Capture out = new Capture();
            Capture err = new Capture();
            Io io = new Io(new PipedInputStream(keyboard), out.stream, err.stream);
            Future<Integer> exit = runner.submit(() -> Main.execute(io, "client", "127.0.0.1", port(server)));

            type(keyboard, "hello\n");
            LoopFixture.await(() -> out.text().equals("hello\n"), "the first reply");
            type(keyboard, "world\n");
            LoopFixture.await(() -> out.text().equals("hello\nworld\n"), "the second reply");
            keyboard.close(); // end of input: the client half-closes, the echo server closes, the client ends

            assertEquals(0, exit.get(10, TimeUnit.SECONDS));
            assertEquals("hello\nworld\n", out.text());
            assertEquals("", err.text());
            server.close();
        }
    }

    @Test
    void shouldEndWhenTheServerClosesWhileInputIsStillOpen() throws Exception {
        try (LoopFixture f = new LoopFixture("client-quit")) {
            EventLoop loop = f.startLoop();
            EchoServer server = EchoServer.start(loop, ServerConfig.defaults().withMode(EchoMode.UPPER), System.err);
            PipedOutputStream keyboard = new PipedOutputStream();
            Capture out = new Capture();
            Capture err = new Capture();
            Io io = new Io(new PipedInputStream(keyboard), out.stream, err.stream);
            Future<Integer> exit = runner.submit(() -> Main.execute(io, "client", "localhost:" + port(server)));

            type(keyboard, "bye now\nquit\n");

            assertEquals(0, exit.get(10, TimeUnit.SECONDS), "the server's close ends the client");
            assertEquals("BYE NOW\n", out.text());
            assertEquals("", err.text());
            keyboard.close(); // lets the blocked stdin reader end, as a terminal's EOF would
            server.close();
        }
    }

    @Test
    void shouldRelayMegabytesOfInputByteExact() throws Exception {
        byte[] input = Bytes.random(7, 4 * 1024 * 1024);
        try (LoopFixture f = new LoopFixture("client-bulk")) {
            EchoServer server = EchoServer.start(f.startLoop(), ServerConfig.defaults(), System.err);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Capture err = new Capture();

            int exit = NcClient.run(server.address(), Duration.ofSeconds(5), new ByteArrayInputStream(input),
                    new PrintStream(received, false, StandardCharsets.UTF_8), err.stream);

            assertEquals(0, exit);
            assertArrayEquals(input, received.toByteArray());
            assertEquals("", err.text());
            server.close();
        }
    }

    @Test
    void shouldSayInOneLineThatNothingListens() throws Exception {
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        Capture out = new Capture();
        Capture err = new Capture();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out.stream, err.stream);

        int exit = Main.execute(io, "client", "127.0.0.1", String.valueOf(port));

        assertEquals(1, exit);
        assertEquals("client: cannot connect to 127.0.0.1:" + port + ": Connection refused\n", err.text());
        assertEquals("", out.text());
    }

    private static String port(EchoServer server) {
        return String.valueOf(server.address().getPort());
    }

    private static void type(PipedOutputStream keyboard, String text) throws IOException {
        keyboard.write(text.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }
}
