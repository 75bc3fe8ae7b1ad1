package dev.sluice;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * What a UDP endpoint does with its datagrams.
 *
 * <p>Thread: called on the endpoint's loop thread, never re-entrantly. If {@link #onDatagram} throws, the
 * endpoint closes with {@link CloseReason#HANDLER_ERROR} and the loop's error handler hears about it.
 */
@FunctionalInterface
public interface DatagramHandler {

    /**
     * One datagram arrived. {@code data} is valid only during this call.
     *
     * <p>Thread: event loop only.
     *
     * @param endpoint the endpoint it arrived on
     * @param data     the datagram's bytes
     * @param sender   where it came from
     */
    void onDatagram(DatagramEndpoint endpoint, ByteBuffer data, SocketAddress sender);

    /**
     * The endpoint closed. Called once.
     *
     * <p>Thread: event loop only.
     *
     * @param endpoint the endpoint
     * @param reason   why
     * @param cause    the first exception involved, or {@code null}
     */
    default void onClose(DatagramEndpoint endpoint, CloseReason reason, Throwable cause) {
    }
}
