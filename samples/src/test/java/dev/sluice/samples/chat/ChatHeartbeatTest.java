package dev.sluice.samples.chat;

import dev.sluice.CloseReason;
import dev.sluice.EventLoop;
import dev.sluice.ManualClock;
import dev.sluice.samples.support.BackgroundCommand;
import dev.sluice.samples.support.Output;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat's heartbeat over real sockets, on a started loop whose clock is a {@link ManualClock}: the
 * test sets the time, then wakes the loop with a task, and the loop reads the clock again when its
 * select returns (see {@code LoopTimeTest}). Every time the server sees is one the test chose.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatHeartbeatTest {
    private static final long SEC = 1_000_000_000L;
    private static final long T0 = 11 * SEC + 321;
    private static final long N = 10 * SEC;
    private static final int MISSES = 3;

    /**
     * Moves the loop's clock to {@code now}, then reads the room's counters once the loop has run a whole
     * iteration at that time. The first task wakes the loop; that iteration reads the clock after its
     * select, so its timers and deferred closes see {@code now}. The check is a task queued from a timer
     * of that iteration, so it runs in the next one, after every close of this one was delivered.
     */
    private static ChatStats at(ManualClock clock, EventLoop loop, ChatServer server, long now)
            throws InterruptedException {
        clock.set(now);
        CountDownLatch done = new CountDownLatch(1);
        ChatStats[] out = new ChatStats[1];
        loop.execute(() -> loop.schedule(() -> loop.execute(() -> {
            out[0] = server.stats();
            done.countDown();
        }), 0));
        assertTrue(done.await(10, TimeUnit.SECONDS));
        return out[0];
    }

    private static ChatConfig config() {
        return ChatConfig.defaults().withBindAddress(LoopFixture.ANY_LOOPBACK).withHeartbeat(N, MISSES);
    }

    @Test
    void shouldDropAClientThatHoldsItsSocketSilentlyAfterIntervalTimesMissesWhileTheOthersChat() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (LoopFixture f = new LoopFixture("chat-heartbeat")) {
            EventLoop loop = f.adopt(EventLoop.start(f.config().withClock(clock)));
            ChatServer server = ChatServer.start(loop, config());
            ChatPeer a = ChatPeer.join(f, server.address());
            ChatPeer b = ChatPeer.join(f, server.address());
            // The vanished client: connected, then it neither reads nor writes. Its socket stays open.
            SocketChannel silent = f.connect(server.address());
            silent.socket().setSoTimeout(10_000); // only for the read at the end
            a.lineContaining("guest3 joined");
            b.lineContaining("guest3 joined");

            // Every half interval a and b exchange a line, so the server reads from both within each
            // interval; guest3 is pinged at T0 + N, 2N, 3N and dropped at T0 + 4N: N x MISSES after
            // its first unanswered ping.
            long firstPing = T0 + N;
            long dropAt = firstPing + N * MISSES;
            for (long now = T0 + N / 2; now - dropAt < 0; now += N / 2) {
                ChatStats s = at(clock, loop, server, now - 1);
                long pingsDue = (now - 1 - T0) / N;
                assertEquals(pingsDue, s.pingsSent(), "only the silent client is pinged, once per interval");
                assertEquals(0, s.heartbeatDisconnects());
                s = at(clock, loop, server, now);
                assertEquals((now - T0) / N, s.pingsSent());
                assertEquals(3, s.clients(), "still here at " + (now - T0) / (N / 2) + " half intervals");

                a.send("a at " + (now - T0));
                assertEquals("<guest1> a at " + (now - T0), b.message());
                b.send("b at " + (now - T0));
                assertEquals("<guest2> b at " + (now - T0), a.message());
            }

            ChatStats before = at(clock, loop, server, dropAt - 1);
            assertEquals(0, before.heartbeatDisconnects(), "not one nanosecond early");
            assertEquals(3, before.clients());
            ChatStats after = at(clock, loop, server, dropAt);
            assertEquals(1, after.heartbeatDisconnects());
            assertEquals(MISSES, after.pingsSent());
            assertEquals(2, after.clients());
            assertEquals("*** guest3 left (not answering pings: disconnected)", a.lineContaining("guest3 left"));
            assertEquals("*** guest3 left (not answering pings: disconnected)", b.lineContaining("guest3 left"));
            assertEquals(1, loop.stats().closes(CloseReason.HEARTBEAT_TIMEOUT));
            assertEquals(0, a.pingsAnswered + b.pingsAnswered, "the clients that talk were never pinged");

            // What the silent client would have read: the chat, the three pings, then the server's FIN.
            String everything = new String(silent.socket().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(MISSES, everything.lines().filter("/ping"::equals).count(), everything);
            assertTrue(everything.contains("<guest2> b at "), everything);

            a.send("still here");
            assertEquals("<guest1> still here", b.message());
        }
    }

    @Test
    void shouldKeepAChatClientCommandThatAnswersPingsByItselfAndNotShowThem() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (LoopFixture f = new LoopFixture("chat-heartbeat-client")) {
            EventLoop loop = f.adopt(EventLoop.start(f.config().withClock(clock)));
            ChatServer server = ChatServer.start(loop, config());
            PipedOutputStream typing = new PipedOutputStream();
            InputStream stdin = new PipedInputStream(typing);
            Output out = new Output();
            Output err = new Output();
            BackgroundCommand client = BackgroundCommand.start(new ChatClientCommand(stdin, out.stream, err.stream),
                    "127.0.0.1:" + server.address().getPort());
            out.await("welcome, you are guest1");

            int beats = 2 * MISSES; // more pings than it may miss: only answering keeps it
            for (int k = 1; k <= beats; k++) {
                long read = loop.stats().bytesRead();
                ChatStats s = at(clock, loop, server, T0 + k * N);
                assertEquals(k, s.pingsSent());
                LoopFixture.await(() -> loop.stats().bytesRead() >= read + "/pong\n".length(), "pong " + k);
            }
            ChatStats s = at(clock, loop, server, T0 + (beats + 1) * N - 1);
            assertEquals(0, s.heartbeatDisconnects());
            assertEquals(1, s.clients());

            typing.close(); // Ctrl-D: the client sends /quit and ends
            assertEquals(0, client.await(), err.text());
            assertFalse(out.text().contains("/ping"), out.text());
            assertTrue(out.text().endsWith("*** bye\n"), out.text());
        }
    }

    @Test
    void shouldSeeAClientThatClosesOrResetsLeaveAtOnceWithoutAnyPing() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (LoopFixture f = new LoopFixture("chat-heartbeat-fin-rst")) {
            EventLoop loop = f.adopt(EventLoop.start(f.config().withClock(clock)));
            ChatServer server = ChatServer.start(loop, config());
            ChatPeer a = ChatPeer.join(f, server.address());
            ChatPeer closes = ChatPeer.join(f, server.address());
            a.lineContaining("guest2 joined");
            ChatPeer resets = ChatPeer.join(f, server.address());
            a.lineContaining("guest3 joined");

            closes.lineContaining("guest3 joined"); // unread input would make its close an RST (RFC 1122)
            closes.channel.close(); // FIN: the server's next read returns end of stream
            assertEquals("*** guest2 left (disconnected)", a.lineContaining("guest2 left"));
            resets.channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
            resets.channel.close(); // RST: the server's next read fails with "Connection reset"
            assertEquals("*** guest3 left (connection reset)", a.lineContaining("guest3 left"));

            ChatStats s = at(clock, loop, server, T0); // the clock never moved: no timer had to fire
            assertEquals(0, s.pingsSent());
            assertEquals(0, s.heartbeatDisconnects());
            assertEquals(1, loop.stats().closes(CloseReason.PEER_CLOSED));
            assertEquals(1, loop.stats().closes(CloseReason.PEER_RESET));
        }
    }
}
