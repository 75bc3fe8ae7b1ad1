package dev.sluice;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A bound UDP socket on a loop, made with {@link EventLoop#bindDatagram}. UDP may lose datagrams on the
 * wire; the engine itself never loses one silently: every datagram it refuses (send queue full,
 * oversize on receive, endpoint closed) is counted in {@link #droppedCount()}.
 *
 * <p>Thread: each method says.
 */
public interface DatagramEndpoint extends AutoCloseable {

    /**
     * Sends {@code datagram}'s remaining bytes to {@code target}; the engine owns the buffer from now on.
     * Sent at once if the socket has room, else queued until it has.
     *
     * <p>Thread: any. Off the loop thread the send is queued as a task and this returns {@code true}
     * (or {@code false} if the loop has ended).
     *
     * @param datagram the payload
     * @param target   where to send it
     * @return {@code false} when refused (queue full or endpoint closed; counted as dropped)
     */
    boolean send(ByteBuffer datagram, SocketAddress target);

    /**
     * The bound address.
     *
     * <p>Thread: any.
     *
     * @return the local address with its real port
     */
    InetSocketAddress localAddress();

    /**
     * Thread: any.
     *
     * @return datagrams received and handed to the handler
     */
    long receivedCount();

    /**
     * Thread: any.
     *
     * @return datagrams handed to the kernel
     */
    long sentCount();

    /**
     * Thread: any.
     *
     * @return datagrams the engine refused or discarded (see the class description)
     */
    long droppedCount();

    /**
     * Closes the endpoint; queued sends are dropped and counted. {@link DatagramHandler#onClose} follows.
     *
     * <p>Thread: any.
     */
    @Override
    void close();
}
