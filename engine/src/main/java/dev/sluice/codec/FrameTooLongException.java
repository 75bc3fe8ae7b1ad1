package dev.sluice.codec;

/**
 * A frame longer than the decoder's limit. Raised as soon as the limit is known to be exceeded, so
 * the decoder never buffers more than its limit for one frame.
 *
 * <p>Thread: any (immutable).
 */
public final class FrameTooLongException extends FrameException {

    private static final long serialVersionUID = 1L;

    /** The limit that was exceeded, in bytes. */
    private final int maxBytes;

    /** The frame's length in bytes, or -1 if the decoder stopped before learning it. */
    private final long observedBytes;

    /**
     * Creates the exception.
     *
     * <p>Thread: any.
     *
     * @param message what was too long, e.g. "line longer than 8192 bytes without a terminator"
     * @param maxBytes the limit that was exceeded
     * @param observedBytes the frame's length if known, or {@code -1} if the decoder stopped reading
     *     it before learning its length
     */
    public FrameTooLongException(String message, int maxBytes, long observedBytes) {
        super(message);
        this.maxBytes = maxBytes;
        this.observedBytes = observedBytes;
    }

    /**
     * Returns the limit that was exceeded.
     *
     * <p>Thread: any.
     *
     * @return the maximum frame length in bytes
     */
    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Returns the length of the offending frame, if the decoder learned it.
     *
     * <p>Thread: any.
     *
     * @return the frame's length in bytes, or {@code -1} if unknown (for example a line whose
     *     terminator had not arrived when the limit was passed)
     */
    public long observedBytes() {
        return observedBytes;
    }
}
