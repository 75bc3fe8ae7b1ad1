package dev.sluice.samples.chat;

import dev.sluice.CloseReason;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The one room of a {@link ChatServer}: who is here under which nick, and delivery of messages and
 * notices with the slow-client policy.
 *
 * <p>Delivery: every message is encoded once into one reused buffer and copied into each
 * recipient's pooled output ({@code writeCopy}), so a broadcast allocates nothing per recipient. A
 * recipient that is not writable (its queued output is above the high watermark) does not get the
 * copy: the message is dropped for it and counted, and it is told how many it missed when it drains.
 * That keeps each client's queued output under {@link ChatConfig#maxQueuedPerClientBytes()}.
 *
 * <p>Thread: the server's loop thread only, except {@link #stats()}.
 */
final class ChatRoom {
    /** The longest notice; longer ones (a huge /who) are cut, so queued output stays bounded. */
    static final int MAX_NOTICE_BYTES = 2048;
    /** Nicks listed by /who before "and N more". */
    private static final int WHO_LIMIT = 50;

    static final int CLIENTS = 0;
    static final int JOINED = 1;
    static final int LEFT = 2;
    static final int MESSAGES = 3;
    static final int DELIVERED = 4;
    static final int DROPPED = 5;
    static final int STALLED = 6;
    static final int TOO_LONG = 7;
    static final int PINGS = 8;
    static final int HEARTBEAT = 9;

    private final ChatConfig config;
    private final List<ChatSession> sessions = new ArrayList<>();
    /** Sessions by lower-case nick: nicks are unique regardless of case. */
    private final Map<String, ChatSession> byNick = new HashMap<>();
    /** The message being delivered, encoded once for every recipient. */
    private final ByteBuffer message;
    private final AtomicLongArray counts = new AtomicLongArray(10);
    private int guests;
    private boolean shuttingDown;

    ChatRoom(ChatConfig config) {
        this.config = config;
        this.message = ByteBuffer.allocate(maxMessageBytes(config.maxLineBytes()));
    }

    /** The largest message or notice one delivery queues: "&lt;nick&gt; " + line + "\n", or a notice. */
    static int maxMessageBytes(int maxLineBytes) {
        return Math.max(maxLineBytes + ChatConfig.MAX_NICK_CHARS + 4, MAX_NOTICE_BYTES);
    }

    ChatConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- membership

    void join(ChatSession s) {
        if (shuttingDown) {
            s.connection().abort();
            return;
        }
        String nick;
        do {
            nick = "guest" + (++guests);
        } while (byNick.containsKey(nick));
        s.nick(nick);
        sessions.add(s);
        byNick.put(key(nick), s);
        counts.incrementAndGet(JOINED);
        counts.set(CLIENTS, sessions.size());
        notice(s, "welcome, you are " + nick + "; " + (sessions.size() - 1)
                + " other(s) here. Commands: /nick NAME, /who, /quit");
        noticeOthers(s, nick + " joined");
    }

    /**
     * Takes {@code s} out of the room now, not when its close completes (a graceful close may linger
     * for seconds), and tells the others why. Later calls for the same session do nothing.
     */
    void leave(ChatSession s, String why) {
        if (!sessions.remove(s)) {
            return;
        }
        s.markGone();
        byNick.remove(key(s.nick()));
        counts.incrementAndGet(LEFT);
        counts.set(CLIENTS, sessions.size());
        noticeOthers(s, s.nick() + " left (" + why + ")");
    }

    /** The connection closed; if the session was still here, it leaves for the close's reason. */
    void closed(ChatSession s, CloseReason reason) {
        if (reason == CloseReason.HEARTBEAT_TIMEOUT) {
            counts.incrementAndGet(HEARTBEAT);
        }
        leave(s, describe(reason));
    }

    /** A quiet client was sent a {@code /ping}. */
    void pinged() {
        counts.incrementAndGet(PINGS);
    }

    private static String describe(CloseReason reason) {
        switch (reason) {
            case PEER_CLOSED:
                return "disconnected";
            case PEER_RESET:
                return "connection reset";
            case SHUTDOWN:
                return "server shutting down";
            case HEARTBEAT_TIMEOUT:
                return "not answering pings: disconnected";
            default:
                return reason.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    // ---------------------------------------------------------------- commands

    void command(ChatSession s, String line) {
        String[] words = line.trim().split("\\s+", 2);
        String arg = words.length > 1 ? words[1].trim() : "";
        switch (words[0]) {
            case "/nick":
                rename(s, arg);
                break;
            case "/who":
                who(s);
                break;
            case "/pong":
                break; // the answer to a heartbeat: reading it was all it had to do
            case "/quit":
                notice(s, "bye");
                leave(s, "quit");
                s.connection().close();
                break;
            default:
                notice(s, "unknown command " + words[0] + "; commands: /nick NAME, /who, /quit");
        }
    }

    private void rename(ChatSession s, String nick) {
        if (!validNick(nick)) {
            notice(s, "a nick is 1-" + ChatConfig.MAX_NICK_CHARS + " letters, digits, '-' or '_'");
            return;
        }
        ChatSession holder = byNick.get(key(nick));
        if (holder != null && holder != s) {
            notice(s, "nick " + nick + " is taken");
            return;
        }
        String old = s.nick();
        byNick.remove(key(old));
        byNick.put(key(nick), s);
        s.nick(nick);
        notice(s, "you are now " + nick);
        noticeOthers(s, old + " is now known as " + nick);
    }

    static boolean validNick(String nick) {
        if (nick.isEmpty() || nick.length() > ChatConfig.MAX_NICK_CHARS) {
            return false;
        }
        for (int i = 0; i < nick.length(); i++) {
            char c = nick.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private void who(ChatSession s) {
        StringBuilder sb = new StringBuilder().append(sessions.size()).append(" here: ");
        int listed = Math.min(sessions.size(), WHO_LIMIT);
        for (int i = 0; i < listed; i++) {
            sb.append(i == 0 ? "" : ", ").append(sessions.get(i).nick());
        }
        if (listed < sessions.size()) {
            sb.append(" and ").append(sessions.size() - listed).append(" more");
        }
        notice(s, sb.toString());
    }

    // ---------------------------------------------------------------- slow clients and bad lines

    /** The client drained below the low watermark: tell it what it missed while lagging. */
    void caughtUp(ChatSession s) {
        if (s.missed() > 0) {
            long missed = s.missed();
            s.clearMissed();
            notice(s, "you missed " + missed + " message(s) while you were not reading");
        }
    }

    /** The client lagged past the stall timeout; its connection closes when this returns. */
    void stalled(ChatSession s) {
        counts.incrementAndGet(STALLED);
        leave(s, "not reading: disconnected");
    }

    void lineTooLong(ChatSession s) {
        counts.incrementAndGet(TOO_LONG);
        notice(s, "line longer than " + config.maxLineBytes() + " bytes: disconnecting");
        leave(s, "sent a line that was too long");
        s.connection().close();
    }

    /**
     * Closes every client: a notice and a graceful close, or an abort for one that is lagging. The
     * others are not told about each leave: they are leaving too.
     */
    void shutdown() {
        shuttingDown = true;
        for (ChatSession s : sessions) {
            s.markGone();
            if (s.connection().isWritable()) {
                notice(s, "server shutting down");
                s.connection().close();
            } else {
                s.connection().abort();
            }
        }
        counts.addAndGet(LEFT, sessions.size());
        sessions.clear();
        byNick.clear();
        counts.set(CLIENTS, 0);
    }

    // ---------------------------------------------------------------- delivery

    /** Sends "&lt;nick&gt; line" to every other client. */
    void broadcast(ChatSession from, ByteBuffer line) {
        counts.incrementAndGet(MESSAGES);
        message.clear();
        message.put((byte) '<');
        putAscii(from.nick());
        message.put((byte) '>').put((byte) ' ');
        while (line.hasRemaining()) {
            byte b = line.get();
            // Control bytes (escape sequences) would drive other people's terminals: show them as '?'.
            message.put((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f ? (byte) '?' : b);
        }
        message.put((byte) '\n').flip();
        for (int i = 0; i < sessions.size(); i++) {
            ChatSession to = sessions.get(i);
            if (to != from) {
                deliver(to);
            }
        }
    }

    private void notice(ChatSession to, String text) {
        encodeNotice(text);
        deliver(to);
    }

    private void noticeOthers(ChatSession except, String text) {
        encodeNotice(text);
        for (int i = 0; i < sessions.size(); i++) {
            ChatSession to = sessions.get(i);
            if (to != except) {
                deliver(to);
            }
        }
    }

    private void encodeNotice(String text) {
        message.clear();
        message.put((byte) '*').put((byte) '*').put((byte) '*').put((byte) ' ');
        int room = MAX_NOTICE_BYTES - 5;
        putAscii(text.length() > room ? text.substring(0, room) : text);
        message.put((byte) '\n').flip();
    }

    /** Notices and nicks are shown as printable ASCII; anything else becomes '?'. */
    private void putAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            message.put(c >= 0x20 && c < 0x7f ? (byte) c : (byte) '?');
        }
    }

    private void deliver(ChatSession to) {
        if (!to.connection().isOpen()) {
            return; // closing: it leaves the room when its close completes
        }
        if (!to.connection().isWritable()) {
            to.missedOne();
            counts.incrementAndGet(DROPPED);
            return;
        }
        message.position(0);
        to.connection().writeCopy(message);
        counts.incrementAndGet(DELIVERED);
    }

    private static String key(String nick) {
        return nick.toLowerCase(Locale.ROOT);
    }

    /**
     * Thread: any.
     *
     * @return the counters now
     */
    ChatStats stats() {
        return new ChatStats(counts.get(CLIENTS), counts.get(JOINED), counts.get(LEFT), counts.get(MESSAGES),
                counts.get(DELIVERED), counts.get(DROPPED), counts.get(STALLED), counts.get(TOO_LONG),
                counts.get(PINGS), counts.get(HEARTBEAT));
    }
}
