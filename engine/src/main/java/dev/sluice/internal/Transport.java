package dev.sluice.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The one seam between a connection's read/write logic and its socket: every byte read or written
 * passes through here. {@link SocketTransport} is the plain one; an encrypting transport (TLS) can sit
 * here without the read path, the write path, backpressure or deadlines changing, because those count
 * the bytes on this side of the seam.
 *
 * <p>Thread: loop only.
 */
interface Transport extends WriteTarget {
    /**
     * Reads what is available into {@code dst}.
     *
     * @param dst where to put the bytes
     * @return bytes read, 0 when none are available, -1 at the peer's end of stream
     * @throws IOException when the connection failed
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Ends the output side (TCP FIN once everything before it is sent).
     *
     * @throws IOException when the connection failed
     */
    void shutdownOutput() throws IOException;

    /**
     * Whether bytes that {@code write} already took are still held here, not yet handed to the kernel
     * (TLS ciphertext the socket would not take). While so, the connection's output is not drained: it
     * keeps {@code OP_WRITE} and waits before closing. The plain transport holds nothing.
     *
     * @return whether bytes are held
     */
    default boolean hasBufferedOutput() {
        return false;
    }

    /**
     * Hands what {@link #hasBufferedOutput()} holds to the kernel, as far as it takes it.
     *
     * @return whether nothing is held any more
     * @throws IOException when the connection failed
     */
    default boolean flushBuffered() throws IOException {
        return true;
    }

    /**
     * Whether input already taken from the socket waits here for {@link #read}: the kernel will not
     * report the socket readable for it (TLS records decrypted, or whole, but not yet delivered).
     *
     * @return whether {@code read} has bytes without the socket
     */
    default boolean hasBufferedInput() {
        return false;
    }

    /** A close that does not wait is coming: last words that need no waiting (TLS close_notify). */
    default void beforeClose() {
    }

    /** Makes the coming {@link #close()} reset the connection (RST) and discard unsent bytes. */
    void resetOnClose();

    /** Closes the socket; never throws: the descriptor is released either way. */
    @Override
    void close();
}
