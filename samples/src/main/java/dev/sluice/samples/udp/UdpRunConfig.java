package dev.sluice.samples.udp;

/**
 * What a counted {@link UdpEchoClient} run sends.
 *
 * <p>Thread: any (immutable).
 *
 * @param count         datagrams to send
 * @param datagramBytes size of each: an 8-byte sequence number, an 8-byte send time, then filler
 * @param window        datagrams sent and not yet echoed (or given up on) at any time; keeps the
 *                      run from overrunning socket buffers, where loopback would drop datagrams
 * @param lossTimeoutNs a datagram not echoed within this is counted lost and frees its window slot
 */
public record UdpRunConfig(int count, int datagramBytes, int window, long lossTimeoutNs) {
    /** Sequence number and send time. */
    static final int MIN_BYTES = 16;
    /** Counts are tracked per datagram (8 bytes each), so runs are capped. */
    static final int MAX_COUNT = 10_000_000;

    /**
     * Validates every field.
     *
     * @param count         see the record description
     * @param datagramBytes see the record description
     * @param window        see the record description
     * @param lossTimeoutNs see the record description
     * @throws IllegalArgumentException naming the value out of range
     */
    public UdpRunConfig {
        if (count <= 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be 1.." + MAX_COUNT + ": " + count);
        }
        if (datagramBytes < MIN_BYTES || datagramBytes > 65_507) {
            throw new IllegalArgumentException("datagram size must be " + MIN_BYTES + "..65507 bytes: " + datagramBytes);
        }
        if (window <= 0 || window > 1024) {
            throw new IllegalArgumentException("window must be 1..1024: " + window);
        }
        if (lossTimeoutNs <= 0) {
            throw new IllegalArgumentException("loss timeout must be > 0");
        }
    }
}
