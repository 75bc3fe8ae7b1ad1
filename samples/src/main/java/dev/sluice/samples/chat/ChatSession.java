package dev.sluice.samples.chat;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;
import dev.sluice.Heartbeat;
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
 * starts. Draining to the low watermark clears the deadline; reaching it disconnects the client. Output
 * that makes no progress for that long disconnects it too, lagging or not (the connection's write
 * timeout): a client that stopped reading with its queue under the high watermark is not lagging, and
 * the kernel can take part of a silent client's backlog late, bringing its queue down to the low
 * watermark, which ends the lagging.
 *
 * <p>A client quiet for the heartbeat interval (the connection's read-idle timeout) is sent
 * {@link #PING}; any line it sends is the answer. {@link ChatConfig#heartbeatMisses()} pings in a row
 * unanswered close it with {@link CloseReason#HEARTBEAT_TIMEOUT} ({@link Heartbeat}).
 *
 * <p>Thread: the server's loop thread only (every method is an engine callback or called from one).
 */
final class ChatSession implements ConnectionHandler, FrameSink {
    /** The heartbeat's ping, shared by every session of every server: direct, so no copy on write. */
    static final ByteBuffer PING = ByteBuffer.allocateDirect(6).put("/ping\n".getBytes(StandardCharsets.US_ASCII))
            .flip().asReadOnlyBuffer();

    private final ChatRoom room;
    private final LineFramer framer;
    /** {@code null} when heartbeats are off. */
    private final Heartbeat heartbeat;
    private Connection connection;
    private String nick;
    /** Out of the room (quit, disconnected, shutting down): further input is ignored. */
    private boolean gone;
    private long missed;

    ChatSession(ChatRoom room) {
        this.room = room;
        this.framer = new LineFramer(room.config().maxLineBytes());
        this.heartbeat = room.config().heartbeatIntervalNs() > 0
                ? new Heartbeat(PING, room.config().heartbeatMisses()) : null;
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        // Output that makes no progress for the stall timeout disconnects too, lagging or not: the kernel
        // may take a late part of a silent client's backlog and bring it under the low watermark.
        c.setWriteTimeoutNs(room.config().stallTimeoutNs());
        room.join(this);
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        if (heartbeat != null) {
            heartbeat.received();
        }
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
        if (kind == TimeoutKind.READ_IDLE && heartbeat != null) {
            long before = heartbeat.pingsSent();
            boolean close = heartbeat.onTimeout(c, kind); // pings, or closes with HEARTBEAT_TIMEOUT
            if (heartbeat.pingsSent() != before) {
                room.pinged();
            }
            return close;
        }
        if (kind == TimeoutKind.DEADLINE || kind == TimeoutKind.WRITE_STALL) {
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
