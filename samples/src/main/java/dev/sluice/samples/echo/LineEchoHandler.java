package dev.sluice.samples.echo;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;
import dev.sluice.TimeoutKind;
import dev.sluice.codec.FrameSink;
import dev.sluice.codec.FrameTooLongException;
import dev.sluice.codec.LineFramer;

import java.nio.ByteBuffer;

/**
 * Line and upper-case echo for one connection (see {@link LineProtocol}). Lines are framed by a
 * {@link LineFramer}, which holds no buffer while no line spans reads; replies are assembled in the
 * server's one scratch buffer and copied out with {@link Connection#writeCopy}.
 *
 * <p>Thread: event loop only.
 */
final class LineEchoHandler implements ConnectionHandler, FrameSink {
    private final EchoServer server;
    private final LineFramer framer;
    private final int maxLineBytes;
    private final boolean upper;
    private Connection connection;
    /** Set once the connection is closing: lines still in the same read are dropped, not answered. */
    private boolean done;

    LineEchoHandler(EchoServer server, int maxLineBytes, boolean upper) {
        this.server = server;
        this.framer = new LineFramer(maxLineBytes);
        this.maxLineBytes = maxLineBytes;
        this.upper = upper;
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        server.opened(c);
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        if (done) {
            data.position(data.limit());
            return;
        }
        try {
            framer.decode(data, this);
        } catch (FrameTooLongException e) {
            // The framer leaves data's position unspecified; consume it all so the engine keeps nothing.
            data.position(data.limit());
            done = true;
            server.log("closing " + c + ": " + LineProtocol.tooLong(maxLineBytes));
            c.write(ByteBuffer.wrap(LineProtocol.tooLongReply(maxLineBytes)));
            c.close(); // graceful: the ERR line goes out before the FIN
        }
    }

    @Override
    public void onFrame(ByteBuffer line) {
        if (done) {
            return;
        }
        if (LineProtocol.isExit(line)) {
            done = true;
            if (server.config().verbose()) {
                server.log("closing " + connection + ": client said goodbye");
            }
            connection.close();
            return;
        }
        ByteBuffer reply = server.lineScratch();
        LineProtocol.reply(line, upper, reply);
        connection.writeCopy(reply);
    }

    @Override
    public boolean onTimeout(Connection c, TimeoutKind kind) {
        if (kind == TimeoutKind.READ_IDLE) {
            server.idle(c);
        }
        return true;
    }

    @Override
    public void onClose(Connection c, CloseReason reason, Throwable cause) {
        framer.reset();
        server.closed(c, reason, cause);
    }
}
