package dev.sluice.internal;

import dev.sluice.CloseReason;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The encrypting transport: plaintext in and out on the connection's side, TLS records on the socket,
 * through the JDK's {@link SSLEngine}. Everything above it (reading, writing, backpressure, deadlines)
 * is unchanged and counts plaintext.
 *
 * <p>Work happens in the loop's shared {@link TlsBuffers}; only what is left at the end of a call stays
 * with the connection ({@link TlsLeftovers}), released as soon as it drains. A read takes from the
 * socket at most what the caller has room for (and at least one record), so each leftover fits one chunk.
 *
 * <p>Ends of stream: the peer's {@code close_notify} is end of input ({@code read} returns -1); a FIN
 * without it fails with {@link CloseReason#TLS_TRUNCATED}. {@link #shutdownOutput()} sends our
 * {@code close_notify} and then FIN, once the ciphertext before it is out. After the handshake, a
 * TLS 1.3 post-handshake message (session ticket, key update) is handled here; any handshake message
 * on a TLS 1.2 connection is a renegotiation, refused with {@link CloseReason#TLS_ERROR}.
 *
 * <p>Thread: loop only, except that delegated tasks of the handshake run on {@link TlsHandshake}'s
 * executor while the loop leaves this object alone.
 */
final class TlsTransport implements Transport {
    static final int HS_DONE = 0;
    static final int HS_NEED_READ = 1;
    static final int HS_NEED_WRITE = 2;
    static final int HS_NEED_TASK = 3;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    final SSLEngine engine;
    private final TlsBuffers shared;
    private final ByteBuffer[] single = new ByteBuffer[1];
    private final TlsLeftovers left;
    private boolean inputEnded;
    /** The -1 for the peer's close_notify has been returned (the kernel will not report it again). */
    private boolean endReported;
    private boolean finAfterFlush;
    /** Read by the connection for {@code tlsSession()}: the session is not the agreed one before. */
    boolean handshakeDone;
    private boolean tls13;

    TlsTransport(SocketChannel channel, SSLEngine engine, TlsBuffers shared) {
        this.channel = channel;
        this.engine = engine;
        this.shared = shared;
        this.left = new TlsLeftovers(shared);
    }

    // ---------------------------------------------------------------- the handshake

    /**
     * Drives the handshake as far as it goes without waiting.
     *
     * @return {@link #HS_DONE}, or what it waits for: the socket readable or writable, or delegated tasks
     * @throws TlsException with {@link CloseReason#TLS_HANDSHAKE_FAILED} on any failure
     */
    int handshake() throws TlsException {
        ByteBuffer in = left.loadNetIn();
        try {
            while (true) {
                if (left.holdsCiphertext() && !flushBuffered()) {
                    return HS_NEED_WRITE;
                }
                HandshakeStatus hs = engine.getHandshakeStatus();
                switch (hs) {
                    case NEED_TASK:
                        return HS_NEED_TASK;
                    case NEED_WRAP:
                        wrapControl();
                        break;
                    case NEED_UNWRAP:
                    case NEED_UNWRAP_AGAIN:
                        if (!unwrapHandshake(in)) {
                            return HS_NEED_READ;
                        }
                        break;
                    default: // NOT_HANDSHAKING: done; ciphertext still kept goes out with the writes
                        handshakeDone = true;
                        tls13 = "TLSv1.3".equals(engine.getSession().getProtocol());
                        return HS_DONE;
                }
            }
        } catch (IOException | RuntimeException e) {
            sendAlertQuietly();
            throw e instanceof TlsException t ? t
                    : new TlsException(CloseReason.TLS_HANDSHAKE_FAILED, "TLS handshake failed: " + e.getMessage(), e);
        } finally {
            left.saveNetIn(in);
        }
    }

    /** One unwrap step of the handshake, reading the socket when a whole record is not there yet. */
    private boolean unwrapHandshake(ByteBuffer in) throws IOException {
        ByteBuffer app = shared.app;
        while (true) {
            app.clear();
            SSLEngineResult r = engine.unwrap(in, app);
            app.flip();
            if (app.hasRemaining()) { // application data right behind the peer's Finished
                left.keepPlaintext(app);
            }
            if (r.getStatus() == Status.CLOSED) {
                throw new TlsException(CloseReason.TLS_HANDSHAKE_FAILED,
                        "the peer closed TLS during the handshake", null);
            }
            if (r.getStatus() != Status.BUFFER_UNDERFLOW) {
                return true;
            }
            in.compact();
            int n;
            try {
                n = channel.read(in);
            } finally {
                in.flip();
            }
            if (n < 0) {
                throw new TlsException(CloseReason.TLS_HANDSHAKE_FAILED,
                        "the peer closed the connection during the TLS handshake", new EOFException());
            }
            if (n == 0) {
                return false;
            }
        }
    }

    // ---------------------------------------------------------------- reading

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int before = dst.position();
        if (left.holdsPlaintext()) {
            left.drainPlaintext(dst);
            if (left.holdsPlaintext() || !dst.hasRemaining()) {
                return dst.position() - before;
            }
        }
        if (inputEnded) {
            return dst.position() > before ? dst.position() - before : endOfInput();
        }
        ByteBuffer in = left.loadNetIn();
        boolean eof = false;
        try {
            if (!TlsLeftovers.hasWholeRecord(in)) {
                in.compact();
                int room = Math.min(in.remaining(), Math.max(dst.remaining(), shared.packetBytes));
                int limit = in.limit();
                in.limit(in.position() + room);
                try {
                    eof = channel.read(in) < 0;
                } finally {
                    in.limit(limit).flip();
                }
            }
            unwrapInto(in, dst);
        } catch (SSLException e) {
            sendAlertQuietly();
            throw e instanceof TlsException ? e : new TlsException(CloseReason.TLS_ERROR, "TLS: " + e.getMessage(), e);
        } finally {
            left.saveNetIn(in);
        }
        int n = dst.position() - before;
        if (eof && !inputEnded && n == 0) {
            throw new TlsException(CloseReason.TLS_TRUNCATED,
                    "the peer closed the connection (FIN) without TLS close_notify: input may be truncated", null);
        }
        return n == 0 && inputEnded ? endOfInput() : n;
    }

    private int endOfInput() {
        endReported = true;
        return -1;
    }

    private void unwrapInto(ByteBuffer in, ByteBuffer dst) throws IOException {
        while (in.hasRemaining() && dst.hasRemaining() && !left.holdsPlaintext() && !inputEnded) {
            SSLEngineResult r = engine.unwrap(in, dst);
            if (r.getStatus() == Status.BUFFER_OVERFLOW) { // no room for this record: decrypt aside
                ByteBuffer app = shared.app;
                app.clear();
                r = engine.unwrap(in, app);
                app.flip();
                int fits = Math.min(app.remaining(), dst.remaining());
                int limit = app.limit();
                dst.put(app.limit(app.position() + fits));
                app.limit(limit);
                if (app.hasRemaining()) {
                    left.keepPlaintext(app);
                }
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    throw new SSLException("a TLS record larger than " + app.capacity() + " bytes of plaintext");
                }
            }
            Status s = r.getStatus();
            if (s == Status.BUFFER_UNDERFLOW) {
                return;
            }
            if (s == Status.CLOSED) {
                inputEnded = true;
                if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    wrapControl(); // TLS 1.2 answers close_notify with its own
                }
                return;
            }
            afterHandshake(r.getHandshakeStatus());
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                return;
            }
        }
    }

    /** What the engine wants after a record of the established connection. */
    private void afterHandshake(HandshakeStatus hs) throws IOException {
        if (hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED) {
            return;
        }
        if (!tls13) {
            throw new TlsException(CloseReason.TLS_ERROR, "TLS renegotiation refused", null);
        }
        // TLS 1.3 post-handshake messages (KeyUpdate, NewSessionTicket): small and rare, done here.
        while (true) {
            hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                wrapControl();
            } else {
                return;
            }
        }
    }

    @Override
    public boolean hasBufferedInput() {
        // close_notify read along with the last data: the -1 is still owed, and no readiness will say so
        return left.holdsReadableInput() || (inputEnded && !endReported);
    }

    // ---------------------------------------------------------------- writing

    @Override
    public int write(ByteBuffer src) throws IOException {
        single[0] = src;
        try {
            return (int) write(single, 0, 1);
        } finally {
            single[0] = null;
        }
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (left.holdsCiphertext() && !flushBuffered()) {
            return 0;
        }
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
        }
        long consumed = 0;
        ByteBuffer out = shared.netOut;
        while (consumed < total) {
            out.clear();
            while (consumed < total && out.remaining() >= shared.packetBytes) {
                SSLEngineResult r = engine.wrap(srcs, offset, length, out);
                if (r.getStatus() == Status.CLOSED) {
                    throw new SSLException("TLS output is closed (close_notify was sent or received)");
                }
                consumed += r.bytesConsumed();
                if (r.getStatus() != Status.OK || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                    break;
                }
            }
            out.flip();
            if (!out.hasRemaining()) {
                break;
            }
            left.send(channel, out);
            if (left.holdsCiphertext()) {
                break; // the socket is full: the caller sees a partial write, or the transport holds output
            }
        }
        return consumed;
    }

    /** Wraps one handshake or control message (no plaintext) and sends it, or keeps it behind what waits. */
    private void wrapControl() throws IOException {
        ByteBuffer out = shared.netOut;
        out.clear();
        SSLEngineResult r = engine.wrap(EMPTY, out);
        out.flip();
        if (r.getStatus() == Status.BUFFER_OVERFLOW) {
            throw new SSLException("a TLS handshake message larger than " + out.capacity() + " bytes");
        }
        if (!out.hasRemaining()) {
            return;
        }
        left.send(channel, out);
    }

    @Override
    public boolean hasBufferedOutput() {
        return left.holdsCiphertext();
    }

    @Override
    public boolean flushBuffered() throws IOException {
        if (!left.flush(channel)) {
            return false;
        }
        if (finAfterFlush) {
            finAfterFlush = false;
            channel.shutdownOutput();
        }
        return true;
    }

    // ---------------------------------------------------------------- ends

    /** Sends {@code close_notify} and then FIN, once the ciphertext queued before it has gone out. */
    @Override
    public void shutdownOutput() throws IOException {
        engine.closeOutbound();
        for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
            wrapControl(); // close_notify (one wrap; the bound only guards against an engine that never finishes)
        }
        finAfterFlush = true;
        flushBuffered();
    }

    /** Says goodbye before a close that does not wait: {@code close_notify}, if the socket takes it now. */
    @Override
    public void beforeClose() {
        try {
            if (!engine.isOutboundDone() && channel.isOpen()) {
                shutdownOutput();
            }
        } catch (IOException ignored) {
            // The connection closes anyway; the peer sees FIN without close_notify.
        }
    }

    /** After a failure, hands the peer the alert the engine prepared, if the socket takes it now. */
    private void sendAlertQuietly() {
        try {
            engine.closeOutbound();
            if (!left.holdsCiphertext() && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                wrapControl();
            }
        } catch (IOException | RuntimeException ignored) {
            // Best effort: the connection is closing anyway.
        }
    }

    @Override
    public void resetOnClose() {
        SocketOptions.lingerZero(channel);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the socket and gives every leftover chunk back. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // The descriptor is released either way.
        }
        left.release();
    }
}
