package dev.sluice.internal;

import java.nio.ByteBuffer;

/**
 * The TLS working buffers of one loop, shared by all its TLS connections the way the loop's read buffer
 * is: ciphertext in ({@link #netIn}), ciphertext out ({@link #netOut}) and a plaintext scratch
 * ({@link #app}). A connection uses them only inside one read, write or handshake step, and copies what
 * is left at the end (a partial record in, ciphertext the socket would not take, plaintext that did not
 * fit the caller's buffer) into a chunk of its own from {@link #chunks}, given back as soon as it drains.
 * An idle TLS connection therefore holds no buffer at all, only its {@code SSLEngine}.
 *
 * <p>The three shared buffers are heap buffers, on purpose: the JDK's AES-GCM copies a direct buffer into
 * a fresh {@code byte[]} on every record ({@code GHASH.processBlocksDirect}, {@code GCTR.update}), and
 * with heap buffers it does not. Measured on a 64 MiB echo: 30 MB allocated by the server's loop thread
 * with direct buffers, 12 MB with heap ones (the rest is the JDK's per-record cipher set-up). The socket
 * I/O on heap buffers goes through the JDK's per-thread cached direct buffer: a copy, no allocation.
 *
 * <p>Chunks are two records' worth ({@link #chunkBytes}): every leftover fits one (see
 * {@link TlsTransport} for why), so steady traffic reuses the same few chunks and allocates none. Like
 * the loop's {@link BufferPool}, at most {@code maxPooled} chunks are direct and kept; beyond that they
 * are heap buffers, dropped when drained.
 *
 * <p>Thread: loop only.
 */
final class TlsBuffers {
    /** The largest TLS record the buffers were sized for, header included. */
    final int packetBytes;
    /** Size of each leftover chunk, and of {@link #netOut}: two records, rounded up to 1 KiB. */
    final int chunkBytes;
    /** Ciphertext read from a socket: a leftover chunk plus one read of up to the loop's read buffer. */
    final ByteBuffer netIn;
    /** Ciphertext wrapped for one socket write: two records. */
    final ByteBuffer netOut;
    /** Plaintext of one record that did not fit the caller's buffer. */
    final ByteBuffer app;
    final BufferPool chunks;

    TlsBuffers(int packetBytes, int readBufferBytes, int maxPooled) {
        this.packetBytes = packetBytes;
        this.chunkBytes = (2 * packetBytes + 1023) & ~1023;
        this.netIn = ByteBuffer.allocate(chunkBytes + Math.max(readBufferBytes, packetBytes));
        this.netOut = ByteBuffer.allocate(chunkBytes);
        this.app = ByteBuffer.allocate(chunkBytes);
        this.chunks = new BufferPool(chunkBytes, maxPooled);
    }

    /**
     * Copies {@code src}'s remaining bytes into a chunk of their own (a heap buffer if they do not fit).
     *
     * @param src the bytes, read mode; drained by this call
     * @return the chunk, read mode
     */
    ByteBuffer keep(ByteBuffer src) {
        ByteBuffer b = src.remaining() <= chunkBytes ? chunks.acquire() : ByteBuffer.allocate(src.remaining());
        b.put(src).flip();
        return b;
    }

    /**
     * Appends {@code src} to a kept chunk, moving to a bigger heap buffer if it does not fit.
     *
     * @param held a chunk from {@link #keep}, read mode
     * @param src  the bytes to append, read mode; drained by this call
     * @return the chunk now holding both, read mode
     */
    ByteBuffer append(ByteBuffer held, ByteBuffer src) {
        if (held.capacity() - held.remaining() >= src.remaining()) {
            held.compact().put(src).flip();
            return held;
        }
        ByteBuffer bigger = ByteBuffer.allocate(held.remaining() + src.remaining());
        bigger.put(held).put(src).flip();
        release(held);
        return bigger;
    }

    /**
     * Gives a kept chunk back (heap buffers are dropped).
     *
     * @param b the chunk
     */
    void release(ByteBuffer b) {
        chunks.release(b);
    }
}
