package dev.sluice.samples.chat;

import dev.sluice.EventLoop;
import dev.sluice.LoopStats;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatServerTest {

    private static ChatConfig config() {
        return ChatConfig.defaults().withBindAddress(LoopFixture.ANY_LOOPBACK);
    }

    @Test
    void shouldBroadcastEachLineToEveryOtherClientWithTheSendersNick() throws Exception {
        try (LoopFixture f = new LoopFixture("chat-broadcast")) {
            EventLoop loop = f.startLoop();
            ChatServer server = ChatServer.start(loop, config());
            ChatPeer a = ChatPeer.join(f, server.address());
            ChatPeer b = ChatPeer.join(f, server.address());
            assertEquals("*** guest2 joined", a.line());
            ChatPeer c = ChatPeer.join(f, server.address());
            assertEquals("*** guest3 joined", a.line());
            assertEquals("*** guest3 joined", b.line());

            a.send("/nick alice");
            assertEquals("*** you are now alice", a.line());
            assertEquals("*** guest1 is now known as alice", b.line());
            assertEquals("*** guest1 is now known as alice", c.line());

            a.send("hello all");
            assertEquals("<alice> hello all", b.line());
            assertEquals("<alice> hello all", c.line());
            a.send("/who");
            assertEquals("*** 3 here: alice, guest2, guest3", a.line(), "the sender does not get its own line");

            c.send("/quit");
            assertEquals("*** bye", c.line());
            assertEquals("", c.readToEnd(), "the server closes after /quit");
            assertEquals("*** guest3 left (quit)", a.line());
            assertEquals("*** guest3 left (quit)", b.line());

            LoopFixture.await(() -> server.stats().clients() == 2, "the room to shrink");
            ChatStats s = server.stats();
            assertEquals(3, s.joined());
            assertEquals(1, s.left());
            assertEquals(1, s.messages());
            assertEquals(0, s.dropped());

            server.close();
            assertEquals("*** server shutting down", a.line());
            assertEquals("", a.readToEnd());
            assertEquals("*** server shutting down", b.line());
        }
    }

    @Test
    void shouldKeepOthersReceivingAndQueuedOutputBoundedWhileOneClientStopsReading() throws Exception {
        ChatConfig cfg = config().withWatermarks(16 * 1024, 4 * 1024).withSocketBufferBytes(16 * 1024)
                .withStallTimeoutNs(TimeUnit.SECONDS.toNanos(1));
        try (LoopFixture f = new LoopFixture("chat-stall")) {
            EventLoop loop = f.startLoop();
            ChatServer server = ChatServer.start(loop, cfg);
            ChatPeer a = ChatPeer.join(f, server.address());
            ChatPeer b = ChatPeer.join(f, server.address());
            // The stalled client: a small receive buffer, and it never reads a byte.
            ChatPeer.connectSilent(f, server.address(), "guest3", a, b);

            // 3000 lines of 160 bytes: about 500 KB for each recipient, far more than the stalled
            // client's socket buffers and queue can hold. Sent in batches that b reads as they come,
            // so b is never behind by more than a batch (8 KB), below the 16 KB watermark.
            int batches = 60;
            int perBatch = 50;
            ChatPeer.chatInBatches(a, b, "guest1", batches, perBatch, "x".repeat(150));

            ChatStats during = server.stats();
            assertEquals(batches * perBatch, during.messages());
            assertTrue(during.dropped() > 0, "messages for the stalled client were dropped: " + during);
            LoopStats ls = loop.stats();
            assertTrue(ls.peakPendingOutputBytes() <= 3 * cfg.maxQueuedPerClientBytes(),
                    "queued output bounded by clients x (watermark + one message): peak "
                            + ls.peakPendingOutputBytes() + ", bound " + 3 * cfg.maxQueuedPerClientBytes());

            // Lagging past the stall timeout disconnects it, and the others are told.
            LoopFixture.await(() -> server.stats().stalledDisconnects() == 1, "the stalled client's disconnect");
            assertEquals("*** guest3 left (not reading: disconnected)", b.lineContaining("guest3 left"));
            assertEquals("*** guest3 left (not reading: disconnected)", a.lineContaining("guest3 left"));
            LoopFixture.await(() -> loop.stats().pendingOutputBytes() == 0, "its queue to be released");
            // Lagging past the deadline, or (when the kernel took a late part of its backlog and its queue
            // fell to the low watermark) no write progress for as long: one close, for one of the two.
            assertEquals(1, loop.stats().closes(dev.sluice.CloseReason.DEADLINE_EXCEEDED)
                    + loop.stats().closes(dev.sluice.CloseReason.WRITE_TIMEOUT));
            assertEquals(2, server.stats().clients());

            a.send("still here");
            assertEquals("<guest1> still here", b.message());
        }
    }

    @Test
    void shouldDeliverEveryLineOfAFastSenderToAReaderThatKeepsReading() throws Exception {
        // Issue 10, defect 4: one 64 KiB read of the sender becomes ~300 queued lines for the reader
        // inside one callback. The reader's connection used to go unwritable on bytes the kernel was
        // never offered, and the room dropped lines for a reader that was keeping up.
        try (LoopFixture f = new LoopFixture("chat-fanout")) {
            EventLoop loop = f.startLoop();
            ChatServer server = ChatServer.start(loop, config());
            ChatPeer sender = ChatPeer.join(f, server.address());
            ChatPeer reader = ChatPeer.join(f, server.address());
            sender.lineContaining("guest2 joined");
            int lines = 5_000;
            String pad = "y".repeat(200);
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                all.append(String.format("%05d ", i)).append(pad).append('\n'); // 207 bytes a line
            }
            byte[] bytes = all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Thread send = new Thread(() -> dev.sluice.testing.Bytes.writeFully(sender.channel, bytes), "chat-fanout-sender");
            send.start();
            for (int i = 0; i < lines; i++) {
                assertEquals("<guest1> " + String.format("%05d ", i) + pad, reader.message(),
                        "line " + i + " of " + lines + " (dropped so far: " + server.stats().dropped() + ")");
            }
            send.join();
            assertEquals(0, server.stats().dropped());
            assertEquals(lines, server.stats().messages());
        }
    }

    @Test
    void shouldDisconnectAClientThatSendsALineOverTheLimit() throws Exception {
        try (LoopFixture f = new LoopFixture("chat-long")) {
            EventLoop loop = f.startLoop();
            ChatServer server = ChatServer.start(loop, config().withMaxLineBytes(100));
            ChatPeer a = ChatPeer.join(f, server.address());
            ChatPeer b = ChatPeer.join(f, server.address());
            a.lineContaining("guest2 joined");

            b.send("y".repeat(101));
            assertEquals("*** line longer than 100 bytes: disconnecting", b.line());
            assertEquals("", b.readToEnd());
            assertEquals("*** guest2 left (sent a line that was too long)", a.line());
            assertEquals(1, server.stats().tooLongDisconnects());
            assertEquals(0, server.stats().messages());
        }
    }

    @Test
    void shouldRefuseInvalidAndTakenNicksAndUnknownCommands() throws Exception {
        try (LoopFixture f = new LoopFixture("chat-nick")) {
            EventLoop loop = f.startLoop();
            ChatServer server = ChatServer.start(loop, config());
            ChatPeer a = ChatPeer.join(f, server.address());
            ChatPeer b = ChatPeer.join(f, server.address());
            a.lineContaining("guest2 joined");

            a.send("/nick Bob");
            assertEquals("*** you are now Bob", a.line());
            b.lineContaining("is now known as Bob");
            b.send("/nick bob");
            assertEquals("*** nick bob is taken", b.line(), "nicks are unique regardless of case");
            b.send("/nick bad name!");
            assertTrue(b.line().startsWith("*** a nick is 1-24 letters"));
            b.send("/nick ");
            assertTrue(b.line().startsWith("*** a nick is 1-24 letters"));
            b.send("/dance");
            assertEquals("*** unknown command /dance; commands: /nick NAME, /who, /quit", b.line());
            b.send("/who");
            assertEquals("*** 2 here: Bob, guest2", b.line());
        }
    }

    @Test
    void shouldCarryUtf8TextAndShowControlBytesAsQuestionMarks() throws Exception {
        try (LoopFixture f = new LoopFixture("chat-bytes")) {
            EventLoop loop = f.startLoop();
            ChatServer server = ChatServer.start(loop, config());
            ChatPeer a = ChatPeer.join(f, server.address());
            ChatPeer b = ChatPeer.join(f, server.address());
            a.lineContaining("guest2 joined");

            b.send("h\u00e9llo \u001b[31mred\u0007 \u65e5\u672c");
            assertEquals("<guest2> h\u00e9llo ?[31mred? \u65e5\u672c", a.line());
            b.send("");
            b.send("after an empty line");
            assertEquals("<guest2> after an empty line", a.line(), "empty lines are not broadcast");
            assertFalse(server.stats().messages() > 2);
        }
    }
}
