package dev.sluice.internal;

import java.util.Arrays;

/**
 * The two lists a loop iteration works through besides ready keys: connections with output to flush
 * before the loop sleeps (Redis's {@code beforeSleep}), and resources with callbacks deferred to the
 * end of the iteration ({@code onClose}, {@code onWritabilityChanged}, held input), so that no callback
 * runs inside the call that caused it. Membership is a flag on the member: adding twice is free.
 *
 * <p>Thread: loop only.
 */
final class WorkLists {
    private SocketConnection[] flush = new SocketConnection[64];
    private int flushCount;
    private Deferrable[] deferred = new Deferrable[64];
    private int deferredCount;

    boolean isEmpty() {
        return flushCount == 0 && deferredCount == 0;
    }

    void addToFlush(SocketConnection c) {
        if (c.inFlushList) {
            return;
        }
        c.inFlushList = true;
        if (flushCount == flush.length) {
            flush = Arrays.copyOf(flush, flushCount * 2);
        }
        flush[flushCount++] = c;
    }

    void defer(Deferrable d) {
        if (d.inDeferredList) {
            return;
        }
        d.inDeferredList = true;
        if (deferredCount == deferred.length) {
            deferred = Arrays.copyOf(deferred, deferredCount * 2);
        }
        deferred[deferredCount++] = d;
    }

    /**
     * Flushes the connections listed now; one that used up its write budget re-adds itself for next time.
     *
     * @return how many connections were flushed
     */
    int flushPending(long nowNs) {
        int n = flushCount;
        for (int i = 0; i < n; i++) {
            SocketConnection c = flush[i];
            flush[i] = null;
            c.inFlushList = false;
            c.flush(nowNs);
        }
        if (flushCount > n) {
            System.arraycopy(flush, n, flush, 0, flushCount - n);
            Arrays.fill(flush, flushCount - n, flushCount, null);
        }
        flushCount -= n;
        return n;
    }

    /**
     * Delivers deferred callbacks; those they defer in turn are delivered in this same pass.
     *
     * @return whether any was delivered
     */
    boolean deliverDeferred() {
        int i = 0;
        for (; i < deferredCount; i++) {
            Deferrable d = deferred[i];
            deferred[i] = null;
            d.inDeferredList = false;
            d.deliverDeferred();
        }
        deferredCount = 0;
        return i > 0;
    }
}
