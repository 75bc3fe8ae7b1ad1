package dev.sluice.samples.load;

import java.nio.ByteBuffer;
import java.util.Random;

/**
 * The bytes load connections send, built once and shared: a random pattern a little longer than 64 KiB.
 * Message {@code k} of a connection is the pattern's slice starting at
 * {@code (salt + k * STRIDE) mod PERIOD}, so consecutive messages differ, a lost, repeated or
 * reordered message shows up as wrong bytes, and each connection's stream differs from the others'.
 * The receiver knows which message and which byte of it comes next, so it checks every byte against
 * the same slice without keeping a copy of what it sent.
 *
 * <p>Thread: any; the views handed out belong to one connection each.
 */
final class Payload {
    /** The largest prime below 2^16: slices start anywhere in it and strides never cycle early. */
    static final int PERIOD = 65_521;
    private static final long STRIDE = 7_919;
    private static final long SALT_STEP = 40_503;

    private final ByteBuffer pattern;
    private final int messageBytes;

    Payload(int messageBytes, long seed) {
        this.messageBytes = messageBytes;
        byte[] bytes = new byte[PERIOD + messageBytes];
        new Random(seed).nextBytes(bytes);
        // Direct, like the engine's read buffer, so the byte-for-byte comparison is direct to direct.
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        b.put(bytes).flip();
        this.pattern = b.asReadOnlyBuffer();
    }

    int messageBytes() {
        return messageBytes;
    }

    /** A view for one connection to slice from; made once per connection. */
    ByteBuffer newView() {
        return pattern.duplicate();
    }

    /** The salt of connection {@code index}: where its first message starts. */
    static int salt(int index) {
        return (int) ((index * SALT_STEP) % PERIOD);
    }

    /** Where message {@code k} starts in the pattern. */
    static int start(int salt, long k) {
        return (int) ((salt + (k % PERIOD) * STRIDE) % PERIOD);
    }

    /**
     * Points {@code view} at bytes {@code from} to {@code from + length} of message {@code k}.
     *
     * @return the view
     */
    static ByteBuffer slice(ByteBuffer view, int salt, long k, int from, int length) {
        int at = start(salt, k) + from;
        view.clear();
        view.position(at).limit(at + length);
        return view;
    }
}
