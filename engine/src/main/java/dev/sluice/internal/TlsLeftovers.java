package dev.sluice.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * What a TLS connection keeps between two calls, each in a chunk of its own from the loop's
 * {@link TlsBuffers}, given back the moment it drains: ciphertext read but not yet decrypted (a partial
 * record, or records the caller had no room for), plaintext decrypted but not yet delivered (a record
 * larger than the caller's room), and ciphertext the socket would not take. Between calls an idle
 * connection holds none of them.
 *
 * <p>Thread: loop only.
 */
final class TlsLeftovers {
    private static final int RECORD_HEADER = 5;

    private final TlsBuffers shared;
    private ByteBuffer netIn;
    private ByteBuffer app;
    private ByteBuffer netOut;

    TlsLeftovers(TlsBuffers shared) {
        this.shared = shared;
    }

    // ---------------------------------------------------------------- ciphertext in

    /** @return the shared netIn in read mode, holding the kept ciphertext first (no longer kept) */
    ByteBuffer loadNetIn() {
        ByteBuffer in = shared.netIn;
        in.clear();
        if (netIn != null) {
            in.put(netIn);
            shared.release(netIn);
            netIn = null;
        }
        return in.flip();
    }

    /** Keeps what is left of the shared netIn for the next call. */
    void saveNetIn(ByteBuffer in) {
        if (in.hasRemaining()) {
            netIn = shared.keep(in);
        }
    }

    /** @return whether {@code in} (read mode) starts with a whole TLS record */
    static boolean hasWholeRecord(ByteBuffer in) {
        if (in.remaining() < RECORD_HEADER) {
            return false;
        }
        int p = in.position();
        int len = ((in.get(p + 3) & 0xff) << 8) | (in.get(p + 4) & 0xff);
        return in.remaining() >= RECORD_HEADER + len;
    }

    // ---------------------------------------------------------------- plaintext in

    /** @return whether decrypted bytes wait for the caller */
    boolean holdsPlaintext() {
        return app != null;
    }

    /** Keeps decrypted bytes the caller had no room for, after any kept before. */
    void keepPlaintext(ByteBuffer src) {
        app = app == null ? shared.keep(src) : shared.append(app, src);
    }

    /** Moves kept plaintext into {@code dst}, as much as fits. */
    void drainPlaintext(ByteBuffer dst) {
        int fits = Math.min(app.remaining(), dst.remaining());
        int limit = app.limit();
        dst.put(app.limit(app.position() + fits));
        app.limit(limit);
        if (!app.hasRemaining()) {
            shared.release(app);
            app = null;
        }
    }

    /** @return whether a read can return bytes without the socket (kept plaintext, or a whole record) */
    boolean holdsReadableInput() {
        return app != null || (netIn != null && hasWholeRecord(netIn));
    }

    // ---------------------------------------------------------------- ciphertext out

    /** @return whether ciphertext waits for the socket */
    boolean holdsCiphertext() {
        return netOut != null;
    }

    /**
     * Sends {@code out} (the shared netOut, read mode) behind whatever waits, keeping what the socket
     * does not take.
     */
    void send(SocketChannel channel, ByteBuffer out) throws IOException {
        if (netOut != null) {
            netOut = shared.append(netOut, out);
            return;
        }
        channel.write(out);
        if (out.hasRemaining()) {
            netOut = shared.keep(out);
        }
    }

    /** @return whether all kept ciphertext went out */
    boolean flush(SocketChannel channel) throws IOException {
        if (netOut != null) {
            channel.write(netOut);
            if (netOut.hasRemaining()) {
                return false;
            }
            shared.release(netOut);
            netOut = null;
        }
        return true;
    }

    /** Gives every kept chunk back (the connection closed). */
    void release() {
        if (netIn != null) {
            shared.release(netIn);
            netIn = null;
        }
        if (app != null) {
            shared.release(app);
            app = null;
        }
        if (netOut != null) {
            shared.release(netOut);
            netOut = null;
        }
    }
}
