package dev.sluice.samples.file;

/**
 * How a {@link FileSender} paces its transfers.
 *
 * <p>Thread: any (immutable).
 *
 * @param pieceBytes         bytes of the file queued per {@code writeFile} call
 * @param highWatermarkBytes stop queueing pieces when this much is waiting for the socket...
 * @param lowWatermarkBytes  ...and go on when it has drained to this
 * @param stallTimeoutNs     fail when the socket takes nothing for this long, or the reply takes longer
 * @param connectTimeoutNs   fail when the connect takes longer
 */
public record SenderConfig(int pieceBytes, int highWatermarkBytes, int lowWatermarkBytes, long stallTimeoutNs,
                           long connectTimeoutNs) {

    /**
     * Validates every field.
     *
     * @param pieceBytes         see the record description
     * @param highWatermarkBytes see the record description
     * @param lowWatermarkBytes  see the record description
     * @param stallTimeoutNs     see the record description
     * @param connectTimeoutNs   see the record description
     * @throws IllegalArgumentException naming the value out of range
     */
    public SenderConfig {
        if (pieceBytes <= 0 || lowWatermarkBytes < 0 || lowWatermarkBytes >= highWatermarkBytes) {
            throw new IllegalArgumentException("need piece > 0 and 0 <= low < high watermark");
        }
        if (stallTimeoutNs <= 0 || connectTimeoutNs <= 0) {
            throw new IllegalArgumentException("timeouts must be > 0");
        }
    }

    /**
     * 1 MiB pieces, 4 MiB / 1 MiB watermarks (queued file pieces cost no memory, so these only bound how
     * far ahead of the socket the sender runs), 30 s stall timeout, 10 s connect timeout.
     *
     * <p>Thread: any.
     *
     * @return the defaults
     */
    public static SenderConfig defaults() {
        return new SenderConfig(1024 * 1024, 4 * 1024 * 1024, 1024 * 1024, 30_000_000_000L, 10_000_000_000L);
    }

    /**
     * Thread: any.
     *
     * @param nanos the stall and reply timeout
     * @return a copy with this timeout
     */
    public SenderConfig withStallTimeoutNs(long nanos) {
        return new SenderConfig(pieceBytes, highWatermarkBytes, lowWatermarkBytes, nanos, connectTimeoutNs);
    }

    /**
     * Thread: any.
     *
     * @param nanos the connect timeout
     * @return a copy with this timeout
     */
    public SenderConfig withConnectTimeoutNs(long nanos) {
        return new SenderConfig(pieceBytes, highWatermarkBytes, lowWatermarkBytes, stallTimeoutNs, nanos);
    }
}
