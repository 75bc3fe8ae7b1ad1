package dev.sluice.samples.chat;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;
import dev.sluice.TimeoutKind;
import dev.sluice.codec.FrameSink;
import dev.sluice.codec.FrameTooLongException;
import dev.sluice.codec.LineFramer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One chat client: splits its input into lines, hands them to the {@link ChatRoom}, and watches its
 * writability. When its queued output rises above the high watermark it is lagging: messages for it
 * are dropped (the room counts them) and an absolute deadline of {@link ChatConfig#stallTimeoutNs()}
 * starts. Draining to the low watermark clears the deadline; reaching it disconnects the client.
 *
 * <p>Thread: the server's loop thread only (every method is an engine callback or called from one).
 */
final class ChatSession implements ConnectionHandler, FrameSink {
    private final ChatRoom room;
    private final LineFramer framer;
    private Connection connection;
    private String nick;
    /** Out of the room (quit, disconnected, shutting down): further input is ignored. */
    private boolean gone;
    private long missed;

    ChatSession(ChatRoom room) {
        this.room = room;
        this.framer = new LineFramer(room.config().maxLineBytes());
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        room.join(this);
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        if (gone) {
            data.position(data.limit()); // leaving: the rest of what it sent is ignored
            return;
        }
        try {
            framer.decode(data, this);
        } catch (FrameTooLongException e) {
            data.position(data.limit());
            room.lineTooLong(this);
        }
    }

    @Override
    public void onFrame(ByteBuffer line) {
        if (gone || !line.hasRemaining()) {
            return;
        }
        if (line.get(line.position()) == '/') {
            room.command(this, StandardCharsets.UTF_8.decode(line).toString());
        } else {
            room.broadcast(this, line);
        }
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        if (writable) {
            c.clearDeadline();
            room.caughtUp(this);
        } else {
            c.setDeadline(c.loop().nowNs() + room.config().stallTimeoutNs());
        }
    }

    @Override
    public boolean onTimeout(Connection c, TimeoutKind kind) {
        if (kind == TimeoutKind.DEADLINE) {
            room.stalled(this);
        }
        return true; // closes at once, dropping what it never read
    }

    @Override
    public void onClose(Connection c, CloseReason reason, Throwable cause) {
        if (connection != null) {
            room.closed(this, reason);
        }
    }

    Connection connection() {
        return connection;
    }

    String nick() {
        return nick;
    }

    void nick(String newNick) {
        nick = newNick;
    }

    /** Called by the room when the session leaves it. */
    void markGone() {
        gone = true;
    }

    long missed() {
        return missed;
    }

    void missedOne() {
        missed++;
    }

    void clearMissed() {
        missed = 0;
    }
}
