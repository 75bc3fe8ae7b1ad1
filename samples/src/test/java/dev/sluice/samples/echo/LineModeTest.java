package dev.sluice.samples.echo;

import dev.sluice.samples.Capture;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line modes over real sockets, each test run against both servers: they speak one protocol. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LineModeTest {
    private static final ServerConfig LINE = ServerConfig.defaults().withMode(EchoMode.LINE).withMaxLineBytes(16);

    @ParameterizedTest
    @EnumSource(Servers.class)
    void shouldCloseOnlyTheConnectionWhoseLineIsTooLong(Servers kind) throws Exception {
        Capture log = new Capture();
        try (LoopFixture f = new LoopFixture("line-too-long");
             Servers.Running server = kind.start(LINE, log.stream, f);
             Clients clients = new Clients()) {
            SocketChannel bystander = clients.connect(server.address());
            SocketChannel offender = clients.connect(server.address());
            send(bystander, "before\n");
            assertEquals("before\n", read(bystander, 7));

            send(offender, "ok\nthis line is longer than sixteen bytes\nnever answered\n");

            assertEquals("ok\nERR line longer than 16 bytes\n", readToEof(offender), "a reason, then the close");
            send(bystander, "still here\n");
            assertEquals("still here\n", read(bystander, 11), "the other connection is unaffected");
            assertTrue(log.text().matches("(?s).*closing Connection#\\d+\\(/127\\.0\\.0\\.1:\\d+\\): line longer than 16 bytes\n"),
                    log.text());
        }
    }

    @ParameterizedTest
    @EnumSource(Servers.class)
    void shouldCloseWhenALineLongerThanTheMaximumHasNoEndYet(Servers kind) throws Exception {
        try (LoopFixture f = new LoopFixture("line-unterminated");
             Servers.Running server = kind.start(LINE, new Capture().stream, f);
             Clients clients = new Clients()) {
            SocketChannel c = clients.connect(server.address());

            send(c, "x".repeat(17)); // no newline: the framer gives up as soon as 17 bytes have no end

            assertEquals("ERR line longer than 16 bytes\n", readToEof(c));
        }
    }

    @ParameterizedTest
    @EnumSource(Servers.class)
    void shouldAnswerEachLineInUpperCaseWhateverTheReadBoundaries(Servers kind) throws Exception {
        try (LoopFixture f = new LoopFixture("upper");
             Servers.Running server = kind.start(LINE.withMode(EchoMode.UPPER), new Capture().stream, f);
             Clients clients = new Clients()) {
            SocketChannel c = clients.connect(server.address());

            send(c, "Hello, World\r\nsecond ");
            assertEquals("HELLO, WORLD\n", read(c, 13));
            send(c, "half\n\nünïcode ok\n");

            assertEquals("SECOND HALF\n\nüNïCODE OK\n", read(c, 12 + 1 + 13));
        }
    }

    @ParameterizedTest
    @EnumSource(Servers.class)
    void shouldCloseOnExitOrQuitAndIgnoreTheLinesAfterIt(Servers kind) throws Exception {
        try (LoopFixture f = new LoopFixture("exit");
             Servers.Running server = kind.start(LINE, new Capture().stream, f);
             Clients clients = new Clients()) {
            SocketChannel quitter = clients.connect(server.address());
            SocketChannel exiter = clients.connect(server.address());

            send(quitter, "one\n  QUIT \nnot echoed\n");
            send(exiter, "exit\n");

            assertEquals("one\n", readToEof(quitter));
            assertEquals("", readToEof(exiter));
        }
    }

    @ParameterizedTest
    @EnumSource(Servers.class)
    void shouldCloseAConnectionIdleForTheIdleTimeout(Servers kind) throws Exception {
        Capture log = new Capture();
        ServerConfig idle = ServerConfig.defaults().withIdleTimeout(Duration.ofMillis(100));
        try (LoopFixture f = new LoopFixture("idle");
             Servers.Running server = kind.start(idle, log.stream, f);
             Clients clients = new Clients()) {
            SocketChannel c = clients.connect(server.address());
            send(c, "ping");
            assertEquals("ping", read(c, 4));

            assertEquals("", readToEof(c), "closed after 100 ms of silence");
            LoopFixture.await(() -> log.text().contains("idle for 100ms"), "the idle notice");
        }
    }

    @ParameterizedTest
    @EnumSource(Servers.class)
    void shouldRefuseConnectionsBeyondTheMaximum(Servers kind) throws Exception {
        try (LoopFixture f = new LoopFixture("max");
             Servers.Running server = kind.start(ServerConfig.defaults().withMaxConnections(1), new Capture().stream, f);
             Clients clients = new Clients()) {
            SocketChannel first = clients.connect(server.address());
            send(first, "a");
            assertEquals("a", read(first, 1), "the first is served");

            SocketChannel second = clients.connect(server.address());

            assertTrue(refused(second), "the second is closed at once");
            send(first, "b");
            assertEquals("b", read(first, 1), "the first is still served");
        }
    }

    private static boolean refused(SocketChannel c) {
        try {
            return readToEof(c).isEmpty();
        } catch (java.io.IOException reset) {
            return true; // "Connection reset": the servers refuse with RST
        }
    }

    private static void send(SocketChannel c, String s) {
        Bytes.writeFully(c, s.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(SocketChannel c, int bytes) throws java.io.IOException {
        return new String(Bytes.readExactly(c, bytes), StandardCharsets.UTF_8);
    }

    private static String readToEof(SocketChannel c) throws java.io.IOException {
        return new String(Bytes.readToEof(c, 1024), StandardCharsets.UTF_8);
    }
}
