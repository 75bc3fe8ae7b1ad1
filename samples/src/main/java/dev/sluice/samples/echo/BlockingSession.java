package dev.sluice.samples.echo;

import dev.sluice.codec.FrameSink;
import dev.sluice.codec.FrameTooLongException;
import dev.sluice.codec.LineFramer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * One connection of the {@link BlockingEchoServer}, served by its own thread with blocking reads and
 * writes. Line modes reuse the engine's {@link LineFramer} over a heap buffer, so both servers frame
 * lines identically.
 *
 * <p>Thread: {@link #run()} on the connection's thread; {@link #closeSocket()} from any.
 */
final class BlockingSession implements Runnable {
    private static final int READ_BUFFER_BYTES = 16 * 1024;

    private final BlockingEchoServer server;
    private final Socket socket;
    private final long id;
    private final SocketAddress remote;

    BlockingSession(BlockingEchoServer server, Socket socket, long id) {
        this.server = server;
        this.socket = socket;
        this.id = id;
        this.remote = socket.getRemoteSocketAddress();
    }

    @Override
    public void run() {
        ServerConfig config = server.config();
        if (config.verbose()) {
            server.log("opened " + this);
        }
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()));
            if (config.mode().framesLines()) {
                serveLines(config);
            } else {
                serveRaw();
            }
        } catch (SocketTimeoutException e) {
            server.idle(this);
        } catch (IOException e) {
            if (config.verbose() || !(server.isStopping() || BlockingEchoServer.isQuietClose(e))) {
                server.log("closed " + this + ": " + e.getMessage());
            }
        } finally {
            closeSocket();
            if (config.verbose()) {
                server.log("closed " + this);
            }
            server.sessionEnded(this);
        }
    }

    private void serveRaw() throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buf = new byte[READ_BUFFER_BYTES];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            server.echoed(n);
        }
        // EOF after every byte was echoed: closing now sends FIN, nothing is unread to provoke a reset.
    }

    private void serveLines(ServerConfig config) throws IOException {
        InputStream in = socket.getInputStream();
        BufferedOutputStream out = new BufferedOutputStream(socket.getOutputStream(), READ_BUFFER_BYTES);
        byte[] buf = new byte[READ_BUFFER_BYTES];
        ByteBuffer src = ByteBuffer.wrap(buf);
        LineSink sink = new LineSink(out, config);
        LineFramer framer = new LineFramer(config.maxLineBytes());
        int n;
        while (!sink.exit && (n = in.read(buf)) >= 0) {
            src.clear().limit(n);
            try {
                framer.decode(src, sink);
            } catch (FrameTooLongException e) {
                out.flush();
                server.log("closing " + this + ": " + LineProtocol.tooLong(config.maxLineBytes()));
                byte[] err = LineProtocol.tooLongReply(config.maxLineBytes());
                out.write(err);
                out.flush();
                server.echoed(err.length);
                lingeringClose(in, buf);
                return;
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            out.flush();
        }
        if (sink.exit) {
            if (config.verbose()) {
                server.log("closing " + this + ": client said goodbye");
            }
            lingeringClose(in, buf);
        }
    }

    /**
     * FIN, then read and discard until the peer's FIN (or a timeout): closing with unread input makes
     * Linux send RST, which can destroy our last reply before the peer reads it (RFC 1122 4.2.2.13).
     */
    private void lingeringClose(InputStream in, byte[] buf) throws IOException {
        socket.shutdownOutput();
        socket.setSoTimeout((int) server.lingerMs());
        try {
            while (in.read(buf) >= 0) {
                // discard
            }
        } catch (SocketTimeoutException e) {
            // The peer kept its side open; close anyway.
        }
    }

    void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // The descriptor is released either way.
        }
    }

    @Override
    public String toString() {
        return "Connection#" + id + "(" + remote + ")";
    }

    /** Answers each line into the buffered output; stops answering after {@code exit}. */
    private final class LineSink implements FrameSink {
        private final OutputStream out;
        private final boolean upper;
        private final ByteBuffer reply;
        boolean exit;

        LineSink(OutputStream out, ServerConfig config) {
            this.out = out;
            this.upper = config.mode() == EchoMode.UPPER;
            this.reply = ByteBuffer.allocate(config.maxLineBytes() + 1);
        }

        @Override
        public void onFrame(ByteBuffer line) {
            if (exit) {
                return;
            }
            if (LineProtocol.isExit(line)) {
                exit = true;
                return;
            }
            LineProtocol.reply(line, upper, reply);
            try {
                out.write(reply.array(), 0, reply.limit());
            } catch (IOException e) {
                throw new UncheckedIOException(e); // FrameSink cannot throw checked exceptions
            }
            server.echoed(reply.limit());
        }
    }
}
