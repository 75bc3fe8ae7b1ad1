package dev.sluice.codec;

/**
 * Input that breaks the framing format itself, for example a length header with its top bit set.
 *
 * <p>Thread: any (immutable).
 */
public final class MalformedFrameException extends FrameException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * <p>Thread: any.
     *
     * @param message what the decoder saw and what the format requires
     */
    public MalformedFrameException(String message) {
        super(message);
    }
}
