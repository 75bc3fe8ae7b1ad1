package dev.sluice.samples.chat;

import dev.sluice.EventLoop;
import dev.sluice.samples.support.BackgroundCommand;
import dev.sluice.samples.support.Output;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatCommandTest {

    @Test
    void shouldChatThroughTheClientCommandAndQuitAtEndOfInput() throws Exception {
        try (LoopFixture f = new LoopFixture("chat-cmd")) {
            EventLoop loop = f.startLoop();
            ChatServer server = ChatServer.start(loop, ChatConfig.defaults().withBindAddress(LoopFixture.ANY_LOOPBACK));
            ChatPeer b = ChatPeer.join(f, server.address());
            Output out = new Output();
            Output err = new Output();
            byte[] typed = "hello from the command\n/who\n".getBytes(StandardCharsets.UTF_8);

            int exit = new CommandLine(new ChatClientCommand(new ByteArrayInputStream(typed), out.stream, err.stream))
                    .execute("--nick", "zed", "127.0.0.1:" + server.address().getPort());

            assertEquals(0, exit, err.text());
            assertEquals("*** guest2 joined", b.line());
            assertEquals("*** guest2 is now known as zed", b.line());
            assertEquals("<zed> hello from the command", b.line());
            assertEquals("*** zed left (quit)", b.line());
            String printed = out.text();
            assertTrue(printed.contains("*** welcome, you are guest2"), printed);
            assertTrue(printed.contains("*** you are now zed"), printed);
            assertTrue(printed.contains("*** 2 here: guest1, zed"), printed);
            assertTrue(printed.endsWith("*** bye\n"), printed);
            assertEquals("", err.text());
        }
    }

    @Test
    void shouldFailWithOneLineWhenNoServerListens() throws Exception {
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        Output out = new Output();
        Output err = new Output();
        int exit = new CommandLine(new ChatClientCommand(new ByteArrayInputStream(new byte[0]), out.stream, err.stream))
                .execute("127.0.0.1:" + port);
        assertEquals(1, exit);
        assertTrue(err.text().startsWith("chat-client: cannot connect to 127.0.0.1:" + port + ": "), err.text());
        assertEquals(1, err.text().lines().count(), err.text());
    }

    @Test
    void shouldServeUntilStoppedAndPrintItsCounters() throws Exception {
        try (LoopFixture f = new LoopFixture("chat-server-cmd")) {
            Output out = new Output();
            Output err = new Output();
            BackgroundCommand cmd = BackgroundCommand.start(new ChatServerCommand(out.stream, err.stream),
                    "--port", "0", "--max-line", "200");
            int port = Integer.parseInt(out.await("listening on 127\\.0\\.0\\.1:(\\d+)"));
            ChatPeer a = ChatPeer.join(f, new InetSocketAddress("127.0.0.1", port));
            a.send("/who");
            assertEquals("*** 1 here: guest1", a.line());

            // Like a real client, a hangs up when the server closes, so the server's close is quick.
            ExecutorService peer = Executors.newSingleThreadExecutor();
            Future<String> lastWords = peer.submit(() -> {
                String l = a.line();
                a.readToEnd();
                a.channel.close();
                return l;
            });
            assertEquals(0, cmd.stop());
            assertEquals("*** server shutting down", lastWords.get(10, TimeUnit.SECONDS));
            peer.shutdown();
            assertTrue(out.text().contains("chat-server: 0 connected, 1 joined, 1 left"), out.text());
            assertEquals("", err.text());
        }
    }

    @Test
    void shouldFailWithOneLineWhenThePortIsTaken() throws Exception {
        try (ServerSocketChannel taken = ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            Output out = new Output();
            Output err = new Output();
            int exit = new CommandLine(new ChatServerCommand(out.stream, err.stream)).execute("--port", "" + port);
            assertEquals(1, exit);
            assertTrue(err.text().startsWith("chat-server: cannot listen on 127.0.0.1:" + port + ": "), err.text());
            assertEquals(1, err.text().lines().count());
        }
    }

    @Test
    void shouldRefuseABadHeartbeatAsAUsageError() {
        Output out = new Output();
        Output err = new Output();
        CommandLine cmd = new CommandLine(new ChatServerCommand(out.stream, err.stream));
        cmd.setErr(new java.io.PrintWriter(err.stream, true));
        assertEquals(2, cmd.execute("--port", "0", "--heartbeat", "soon"));
        assertTrue(err.text().contains("not a duration: 'soon'"), err.text());

        Output err2 = new Output();
        int exit = new CommandLine(new ChatServerCommand(out.stream, err2.stream))
                .execute("--port", "0", "--heartbeat", "10s", "--heartbeat-misses", "0");
        assertEquals(2, exit);
        assertTrue(err2.text().startsWith("chat-server: need heartbeat interval >= 0"), err2.text());
    }
}
