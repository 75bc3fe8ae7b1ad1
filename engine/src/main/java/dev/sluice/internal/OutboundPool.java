package dev.sluice.internal;

/**
 * The loop's spare {@link OutboundBuffer}s. A connection takes one when a write finds its queue absent
 * and gives it back when the queue drains, so idle connections hold none, and a ping-pong connection
 * takes and gives back the same one every round trip without allocating.
 *
 * <p>Spares number at most what was once queued at the same time, and never more than {@code max}:
 * after a burst (thousands of connections backed up at once) the surplus goes to the garbage collector
 * instead of staying with the loop for good.
 *
 * <p>Thread: loop only.
 */
final class OutboundPool {
    private final OutboundBuffer[] spares;
    private int count;

    OutboundPool(int max) {
        this.spares = new OutboundBuffer[max];
    }

    /** @return an empty queue, a spare when there is one */
    OutboundBuffer take() {
        if (count == 0) {
            return new OutboundBuffer();
        }
        OutboundBuffer b = spares[--count];
        spares[count] = null;
        return b;
    }

    /** Keeps an empty queue for the next taker, unless enough are kept already. */
    void give(OutboundBuffer b) {
        if (count < spares.length) {
            spares[count++] = b;
        }
    }

    /** @return spares kept now */
    int spares() {
        return count;
    }
}
