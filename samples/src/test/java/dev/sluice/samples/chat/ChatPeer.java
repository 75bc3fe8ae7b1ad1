package dev.sluice.samples.chat;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A blocking chat client for tests: sends lines, reads lines with a 10 s timeout, and remembers the
 * notices it skipped while looking for something else. Like {@code chat-client}, it answers the
 * server's heartbeat {@code /ping} with {@code /pong} and does not show it; {@link #pingsAnswered}
 * counts them.
 *
 * <p>Thread: one at a time.
 */
final class ChatPeer {
    final SocketChannel channel;
    final List<String> skipped = new CopyOnWriteArrayList<>();
    private final BufferedReader in;
    /** Heartbeat pings this peer answered. */
    volatile int pingsAnswered;

    ChatPeer(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.socket().setSoTimeout(10_000); // the socket adaptor's streams honour it
        this.in = new BufferedReader(new InputStreamReader(channel.socket().getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Connects a client that never reads a byte (an 8 KiB receive buffer), and waits until each of
     * {@code peers} heard it join as {@code nick}.
     */
    static SocketChannel connectSilent(LoopFixture f, InetSocketAddress server, String nick, ChatPeer... peers)
            throws IOException {
        SocketChannel silent = f.track(SocketChannel.open());
        silent.setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024);
        silent.connect(server);
        for (ChatPeer p : peers) {
            p.lineContaining(nick + " joined");
        }
        return silent;
    }

    /**
     * {@code from} sends {@code batches} x {@code perBatch} lines "m<i> " + {@code pad}; {@code to} reads
     * each batch before the next is sent, so it is never behind by more than one batch, and checks that
     * every line arrived, in order.
     */
    static void chatInBatches(ChatPeer from, ChatPeer to, String fromNick, int batches, int perBatch, String pad)
            throws IOException {
        for (int batch = 0; batch < batches; batch++) {
            for (int i = 0; i < perBatch; i++) {
                from.send("m" + (batch * perBatch + i) + " " + pad);
            }
            for (int i = 0; i < perBatch; i++) {
                String expected = "<" + fromNick + "> m" + (batch * perBatch + i) + " " + pad;
                String got = to.message();
                if (!expected.equals(got)) {
                    throw new AssertionError("every line, in order: expected " + expected + ", got " + got);
                }
            }
        }
    }

    /** Connects and reads the welcome line. */
    static ChatPeer join(LoopFixture f, InetSocketAddress server) throws IOException {
        ChatPeer p = new ChatPeer(f.connect(server));
        String welcome = p.line();
        if (!welcome.startsWith("*** welcome, you are ")) {
            throw new AssertionError("expected a welcome, got " + welcome);
        }
        return p;
    }

    void send(String line) {
        Bytes.writeFully(channel, (line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The next line that is not a heartbeat ping (those are answered); fails on end of stream or after 10 s. */
    String line() throws IOException {
        while (true) {
            String l = in.readLine();
            if (l == null) {
                throw new EOFException("the server closed the connection");
            }
            if (!l.equals("/ping")) {
                return l;
            }
            send("/pong");
            pingsAnswered++;
        }
    }

    /** Reads until a line contains {@code text} (or one skipped earlier did) and returns it. */
    String lineContaining(String text) throws IOException {
        for (String s : skipped) {
            if (s.contains(text)) {
                skipped.remove(s);
                return s;
            }
        }
        while (true) {
            String l = line();
            if (l.contains(text)) {
                return l;
            }
            skipped.add(l);
        }
    }

    /** Reads the next line that is not a notice, remembering notices. */
    String message() throws IOException {
        while (true) {
            String l = line();
            if (!l.startsWith("*** ")) {
                return l;
            }
            skipped.add(l);
        }
    }

    /** Whether the server has closed: reads to end of stream, failing if a line still arrives. */
    String readToEnd() throws IOException {
        StringBuilder rest = new StringBuilder();
        String l;
        while ((l = in.readLine()) != null) {
            rest.append(l).append('\n');
        }
        return rest.toString();
    }
}
