package dev.sluice.internal;

import dev.sluice.CloseReason;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The encrypting transport: plaintext in and out on the connection's side, TLS records on the socket,
 * through the JDK's {@link SSLEngine}. Everything above it (reading, writing, backpressure, deadlines)
 * is unchanged and counts plaintext.
 *
 * <p>Work happens in the loop's shared {@link TlsBuffers}; only what is left at the end of a call stays
 * with the connection, in a chunk of its own released as soon as it drains: {@link #netInLeft} (a
 * partial record, or records the caller had no room for), {@link #appLeft} (decrypted bytes that did not
 * fit), {@link #netOutLeft} (ciphertext the socket would not take). A read takes from the socket at most
 * what the caller has room for (and at least one record), so each leftover fits one chunk.
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
    private static final int RECORD_HEADER = 5;

    private final SocketChannel channel;
    final SSLEngine engine;
    private final TlsBuffers shared;
    private final ByteBuffer[] single = new ByteBuffer[1];
    private ByteBuffer netInLeft;
    private ByteBuffer appLeft;
    private ByteBuffer netOutLeft;
    private boolean inputEnded;
    private boolean finAfterFlush;
    private boolean handshakeDone;
    private boolean tls13;

    TlsTransport(SocketChannel channel, SSLEngine engine, TlsBuffers shared) {
        this.channel = channel;
        this.engine = engine;
        this.shared = shared;
    }

    // ---------------------------------------------------------------- the handshake

    /**
     * Drives the handshake as far as it goes without waiting.
     *
     * @return {@link #HS_DONE}, or what it waits for: the socket readable or writable, or delegated tasks
     * @throws TlsException with {@link CloseReason#TLS_HANDSHAKE_FAILED} on any failure
     */
    int handshake() throws TlsException {
        ByteBuffer in = loadNetIn();
        try {
            while (true) {
                if (netOutLeft != null && !flushBuffered()) {
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
                    default: // NOT_HANDSHAKING: done; what is left in netOutLeft goes out with the writes
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
            saveNetIn(in);
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
                appLeft = appLeft == null ? shared.keep(app) : shared.append(appLeft, app);
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

    /** @return the next delegated task of the handshake, or {@code null} */
    Runnable delegatedTask() {
        return engine.getDelegatedTask();
    }

    // ---------------------------------------------------------------- reading

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int before = dst.position();
        if (appLeft != null) {
            drainAppLeft(dst);
            if (appLeft != null || !dst.hasRemaining()) {
                return dst.position() - before;
            }
        }
        if (inputEnded) {
            return dst.position() > before ? dst.position() - before : -1;
        }
        ByteBuffer in = loadNetIn();
        boolean eof = false;
        try {
            if (!hasWholeRecord(in)) {
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
            saveNetIn(in);
        }
        int n = dst.position() - before;
        if (eof && !inputEnded && n == 0) {
            throw new TlsException(CloseReason.TLS_TRUNCATED,
                    "the peer closed the connection (FIN) without TLS close_notify: input may be truncated", null);
        }
        return n == 0 && inputEnded ? -1 : n;
    }

    private void unwrapInto(ByteBuffer in, ByteBuffer dst) throws IOException {
        while (in.hasRemaining() && dst.hasRemaining() && appLeft == null && !inputEnded) {
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
                    appLeft = shared.keep(app);
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

    private void drainAppLeft(ByteBuffer dst) {
        int fits = Math.min(appLeft.remaining(), dst.remaining());
        int limit = appLeft.limit();
        dst.put(appLeft.limit(appLeft.position() + fits));
        appLeft.limit(limit);
        if (!appLeft.hasRemaining()) {
            shared.release(appLeft);
            appLeft = null;
        }
    }

    /** @return whether {@code in} (read mode) starts with a whole TLS record */
    private static boolean hasWholeRecord(ByteBuffer in) {
        if (in.remaining() < RECORD_HEADER) {
            return false;
        }
        int p = in.position();
        int len = ((in.get(p + 3) & 0xff) << 8) | (in.get(p + 4) & 0xff);
        return in.remaining() >= RECORD_HEADER + len;
    }

    /** @return the shared netIn in read mode, holding this connection's leftover ciphertext first */
    private ByteBuffer loadNetIn() {
        ByteBuffer in = shared.netIn;
        in.clear();
        if (netInLeft != null) {
            in.put(netInLeft);
            shared.release(netInLeft);
            netInLeft = null;
        }
        return in.flip();
    }

    private void saveNetIn(ByteBuffer in) {
        if (in.hasRemaining()) {
            netInLeft = shared.keep(in);
        }
    }

    @Override
    public boolean hasBufferedInput() {
        return appLeft != null || (netInLeft != null && hasWholeRecord(netInLeft));
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
        if (netOutLeft != null && !flushBuffered()) {
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
            channel.write(out);
            if (out.hasRemaining()) {
                netOutLeft = shared.keep(out); // the socket is full: the caller sees a partial write
                break;
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
        if (netOutLeft != null) {
            netOutLeft = shared.append(netOutLeft, out);
            return;
        }
        channel.write(out);
        if (out.hasRemaining()) {
            netOutLeft = shared.keep(out);
        }
    }

    @Override
    public boolean hasBufferedOutput() {
        return netOutLeft != null;
    }

    @Override
    public boolean flushBuffered() throws IOException {
        if (netOutLeft != null) {
            channel.write(netOutLeft);
            if (netOutLeft.hasRemaining()) {
                return false;
            }
            shared.release(netOutLeft);
            netOutLeft = null;
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
        if (engine.isOutboundDone() || !channel.isOpen()) {
            return;
        }
        try {
            shutdownOutput();
        } catch (IOException ignored) {
            // The connection closes anyway; the peer sees FIN without close_notify.
        }
    }

    /** After a failure, hands the peer the alert the engine prepared, if the socket takes it now. */
    private void sendAlertQuietly() {
        try {
            engine.closeOutbound();
            if (netOutLeft == null && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                wrapControl();
            }
        } catch (IOException | RuntimeException ignored) {
            // Best effort: the connection is closing anyway.
        }
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    @Override
    public void resetOnClose() {
        if (channel.isOpen()) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException ignored) {
                // Then it closes with FIN instead of RST; it still closes.
            }
        }
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
        if (netInLeft != null) {
            shared.release(netInLeft);
            netInLeft = null;
        }
        if (appLeft != null) {
            shared.release(appLeft);
            appLeft = null;
        }
        if (netOutLeft != null) {
            shared.release(netOutLeft);
            netOutLeft = null;
        }
    }
}
