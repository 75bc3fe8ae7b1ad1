package dev.sluice;

/**
 * Limits for a UDP endpoint.
 *
 * <p>Thread: any (immutable).
 *
 * @param maxDatagramBytes   largest datagram received; a larger one is dropped and counted, not
 *                           truncated silently (at most the loop's read buffer size)
 * @param maxQueuedDatagrams datagrams waiting for room in the socket's send buffer; beyond this a send
 *                           is refused and counted
 * @param receiveBatch       datagrams received per readiness event before the loop serves others
 * @param sendBufferBytes    {@code SO_SNDBUF}, or 0 for the system default
 * @param receiveBufferBytes {@code SO_RCVBUF}, or 0 for the system default
 */
public record DatagramConfig(int maxDatagramBytes, int maxQueuedDatagrams, int receiveBatch,
                             int sendBufferBytes, int receiveBufferBytes) {

    /**
     * Validates every field.
     *
     * @param maxDatagramBytes   see the record description
     * @param maxQueuedDatagrams see the record description
     * @param receiveBatch       see the record description
     * @param sendBufferBytes    see the record description
     * @param receiveBufferBytes see the record description
     * @throws IllegalArgumentException naming the value out of range
     */
    public DatagramConfig {
        if (maxDatagramBytes <= 0 || maxDatagramBytes > 65_507) {
            throw new IllegalArgumentException("maxDatagramBytes must be 1..65507 (the UDP/IPv4 payload limit): "
                    + maxDatagramBytes);
        }
        if (maxQueuedDatagrams <= 0 || receiveBatch <= 0 || sendBufferBytes < 0 || receiveBufferBytes < 0) {
            throw new IllegalArgumentException("queue, batch and buffer sizes must be positive (buffers: 0 = default)");
        }
    }

    /**
     * Datagrams up to 65,507 bytes, 1024 queued sends, 64 receives per event, system buffer sizes.
     *
     * <p>Thread: any.
     *
     * @return the defaults
     */
    public static DatagramConfig defaults() {
        return new DatagramConfig(65_507, 1024, 64, 0, 0);
    }

    /**
     * Thread: any.
     *
     * @param bytes largest datagram accepted
     * @return a copy with this limit
     */
    public DatagramConfig withMaxDatagramBytes(int bytes) {
        return new DatagramConfig(bytes, maxQueuedDatagrams, receiveBatch, sendBufferBytes, receiveBufferBytes);
    }

    /**
     * Thread: any.
     *
     * @param n datagrams allowed to wait for the send buffer
     * @return a copy with this limit
     */
    public DatagramConfig withMaxQueuedDatagrams(int n) {
        return new DatagramConfig(maxDatagramBytes, n, receiveBatch, sendBufferBytes, receiveBufferBytes);
    }

    /**
     * Thread: any.
     *
     * @param sendBytes    {@code SO_SNDBUF}, 0 for the default
     * @param receiveBytes {@code SO_RCVBUF}, 0 for the default
     * @return a copy with these buffer sizes
     */
    public DatagramConfig withSocketBuffers(int sendBytes, int receiveBytes) {
        return new DatagramConfig(maxDatagramBytes, maxQueuedDatagrams, receiveBatch, sendBytes, receiveBytes);
    }
}
