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

    /** Makes the coming {@link #close()} reset the connection (RST) and discard unsent bytes. */
    void resetOnClose();

    /** Closes the socket; never throws: the descriptor is released either way. */
    @Override
    void close();
}
