package dev.sluice.codec;

import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Feeds bytes to a decoder the way an event loop does: through one read buffer that is cleared and
 * refilled for every read, so a decoder that kept a reference instead of copying would see its
 * bytes overwritten.
 */
final class Feed {

    /** The decode method of either framer. */
    @FunctionalInterface
    interface Decoder {
        void decode(ByteBuffer src, FrameSink sink) throws FrameException;
    }

    private Feed() {
    }

    /** Feeds {@code input} in reads of {@code chunkBytes} (the last may be shorter). */
    static void inChunks(Decoder decoder, byte[] input, int chunkBytes, FrameSink sink) throws FrameException {
        ByteBuffer readBuffer = ByteBuffer.allocate(chunkBytes);
        for (int offset = 0; offset < input.length; offset += chunkBytes) {
            readBuffer.clear();
            readBuffer.put(input, offset, Math.min(chunkBytes, input.length - offset));
            decoder.decode(readBuffer.flip(), sink);
        }
    }

    /** Feeds {@code input} in reads of random sizes from 1 to {@code maxChunkBytes}. */
    static void inRandomChunks(Decoder decoder, byte[] input, int maxChunkBytes, Random random, FrameSink sink)
            throws FrameException {
        ByteBuffer readBuffer = ByteBuffer.allocate(maxChunkBytes);
        int offset = 0;
        while (offset < input.length) {
            int bytes = Math.min(1 + random.nextInt(maxChunkBytes), input.length - offset);
            readBuffer.clear();
            readBuffer.put(input, offset, bytes);
            decoder.decode(readBuffer.flip(), sink);
            offset += bytes;
        }
    }

    /** Feeds {@code input} as up to three reads, cut at {@code cut1} and {@code cut2}. */
    static void inPieces(Decoder decoder, byte[] input, int cut1, int cut2, FrameSink sink) throws FrameException {
        ByteBuffer readBuffer = ByteBuffer.allocate(input.length);
        int[] bounds = {0, cut1, cut2, input.length};
        for (int i = 0; i < 3; i++) {
            readBuffer.clear();
            readBuffer.put(input, bounds[i], bounds[i + 1] - bounds[i]);
            decoder.decode(readBuffer.flip(), sink);
        }
    }
}
