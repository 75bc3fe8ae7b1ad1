package dev.sluice.codec;

import java.nio.ByteBuffer;

/**
 * Receives the frames a decoder finds.
 *
 * <p>Thread: called on the thread that called {@code decode}, during that call.
 */
@FunctionalInterface
public interface FrameSink {

    /**
     * Takes one complete frame.
     *
     * <p>Thread: the thread that called {@code decode}, during that call.
     *
     * <p>{@code frame} is read-only and valid only until this method returns: the decoder reuses
     * it, or the bytes under it, for the next frame. Copy what must outlive the call. The decoder
     * has already consumed the frame when this is called, so if this method throws, the exception
     * propagates out of {@code decode} with {@code src} positioned just after the frame, and
     * decoding may resume from there.
     *
     * @param frame the frame's payload, without terminator or header, from its position to its limit
     */
    void onFrame(ByteBuffer frame);
}
