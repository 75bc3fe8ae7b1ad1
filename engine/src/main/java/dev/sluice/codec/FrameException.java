package dev.sluice.codec;

import java.io.IOException;

/**
 * Input a frame decoder cannot accept. The stream cannot be resynchronised after one, so the
 * connection it came from should be closed.
 *
 * <p>Thread: any (immutable).
 */
public abstract class FrameException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that says what was wrong with the input.
     *
     * <p>Thread: any.
     *
     * @param message what the decoder saw and what it expected
     */
    protected FrameException(String message) {
        super(message);
    }
}
