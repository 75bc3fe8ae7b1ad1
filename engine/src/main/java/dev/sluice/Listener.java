package dev.sluice;

import java.net.InetSocketAddress;

/**
 * A listening socket registered on a loop. Bound when {@link EventLoop#listen} returns, so the port is
 * known at once even when port 0 was asked for.
 *
 * <p>Thread: any for every method; the counts are eventually consistent snapshots.
 */
public interface Listener extends AutoCloseable {

    /**
     * The bound address.
     *
     * <p>Thread: any.
     *
     * @return the local address (with the real port)
     */
    InetSocketAddress localAddress();

    /**
     * Connections accepted and handed to a handler.
     *
     * <p>Thread: any.
     *
     * @return the count
     */
    long acceptedCount();

    /**
     * Connections accepted and closed at once because the listener was at its maximum.
     *
     * <p>Thread: any.
     *
     * @return the count
     */
    long rejectedCount();

    /**
     * Accept calls that failed (for example "Too many open files") and made the listener back off.
     *
     * <p>Thread: any.
     *
     * @return the count
     */
    long acceptErrorCount();

    /**
     * Connections from this listener open now.
     *
     * <p>Thread: any.
     *
     * @return the count
     */
    int openConnections();

    /**
     * Stops accepting and closes the listening socket. Open connections stay open.
     *
     * <p>Thread: any.
     */
    @Override
    void close();
}
