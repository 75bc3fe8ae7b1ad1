package dev.sluice.samples.load;

import java.nio.ByteBuffer;
import java.util.Random;

/**
 * The bytes load connections send, built once and shared: a random pattern of {@link #PERIOD} bytes,
 * repeated. Each connection's stream is the pattern read from its own offset (its salt) onwards, so
 * consecutive messages are consecutive slices: the messages one read completed are sent again as one
 * run ({@link #contiguousFrom} bytes at a time), and the echo is checked as one run, not message by
 * message. A lost, repeated or reordered message shows up as wrong bytes (the stream repeats only
 * every {@code PERIOD} bytes, a prime, so no whole number of messages shorter than it lines up with
 * itself), and each connection's stream differs from the others'.
 *
 * <p>Thread: one load run makes one and uses it on its loop thread only: {@link #sendView()} and
 * {@link #expectView()} are cursors that every connection of the run points somewhere, uses at once and
 * leaves (two shared views instead of two per connection: at 1,000 connections, two cache lines fewer
 * per message to miss).
 */
final class Payload {
    /** The largest prime below 2^16: the stream's period. */
    static final int PERIOD = 65_521;
    private static final long SALT_STEP = 40_503;
    /** Bytes past the period, so that a run of up to this many starts anywhere: 64 KiB, or one message. */
    private static final int MIN_SPAN = 64 * 1024;

    private final ByteBuffer pattern;
    private final ByteBuffer sendView;
    private final ByteBuffer expectView;
    private final int messageBytes;

    Payload(int messageBytes, long seed) {
        this.messageBytes = messageBytes;
        byte[] period = new byte[PERIOD];
        new Random(seed).nextBytes(period);
        int length = PERIOD + Math.max(messageBytes, MIN_SPAN);
        // Direct, like the engine's read buffer, so the byte-for-byte comparison is direct to direct.
        ByteBuffer b = ByteBuffer.allocateDirect(length);
        while (b.hasRemaining()) {
            b.put(period, 0, Math.min(PERIOD, b.remaining()));
        }
        this.pattern = b.flip().asReadOnlyBuffer();
        this.sendView = pattern.duplicate();
        this.expectView = pattern.duplicate();
    }

    int messageBytes() {
        return messageBytes;
    }

    /** A new view to slice from. */
    ByteBuffer newView() {
        return pattern.duplicate();
    }

    /** The run's view for what is sent: pointed at a run of the stream, copied out at once. */
    ByteBuffer sendView() {
        return sendView;
    }

    /** The run's view for what should come back: pointed at a run of the stream, compared at once. */
    ByteBuffer expectView() {
        return expectView;
    }

    /** The salt of connection {@code index}: where its stream starts in the pattern. */
    static int salt(int index) {
        return (int) ((index * SALT_STEP) % PERIOD);
    }

    /** @return the stream position {@code n} bytes after {@code position} (both within the period) */
    static int advance(int position, long n) {
        return (int) ((position + n) % PERIOD);
    }

    /**
     * @param position a stream position, within the period
     * @return how many bytes from {@code position} one slice can cover (at least one message, and 64 KiB)
     */
    int contiguousFrom(int position) {
        return pattern.capacity() - position;
    }

    /**
     * Points {@code view} at {@code length} bytes of the stream from {@code position}; {@code length}
     * must not exceed {@link #contiguousFrom}.
     *
     * @return the view
     */
    static ByteBuffer sliceAt(ByteBuffer view, int position, int length) {
        view.clear();
        view.position(position).limit(position + length);
        return view;
    }
}
