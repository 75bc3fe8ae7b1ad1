package dev.sluice.internal;

import java.util.Arrays;

/**
 * A binary min-heap of {@link TimerNode}s ordered by deadline, ties broken by the order they were
 * armed (libuv's timer heap does the same, so timers armed for the same instant fire in arm order).
 * Each node knows its index, so cancel and re-arm are O(log n) without searching.
 *
 * <p>Deadlines are compared as {@code a - b < 0}, which stays right when the nanosecond clock
 * wraps (see {@link System#nanoTime()}: "one should use {@code t1 - t0 < 0}, not {@code t1 < t0}").
 *
 * <p>Thread: loop only.
 */
public final class TimerHeap {
    private TimerNode[] nodes = new TimerNode[64];
    private int size;
    private long nextSeq;

    /**
     * Arms {@code node} at {@code deadlineNs}, or moves it there if already armed.
     *
     * @param node       the node
     * @param deadlineNs its deadline
     */
    public void schedule(TimerNode node, long deadlineNs) {
        node.deadlineNs = deadlineNs;
        node.seq = nextSeq++;
        if (node.heapIndex >= 0) {
            int i = node.heapIndex;
            siftUp(i);
            if (nodes[i] == node) {
                siftDown(i);
            }
            return;
        }
        if (size == nodes.length) {
            nodes = Arrays.copyOf(nodes, size * 2);
        }
        nodes[size] = node;
        node.heapIndex = size;
        size++;
        siftUp(size - 1);
    }

    /**
     * Disarms {@code node}; does nothing if it is not armed.
     *
     * @param node the node
     */
    public void cancel(TimerNode node) {
        int i = node.heapIndex;
        if (i < 0) {
            return;
        }
        size--;
        TimerNode last = nodes[size];
        nodes[size] = null;
        node.heapIndex = -1;
        if (i != size) {
            nodes[i] = last;
            last.heapIndex = i;
            siftUp(i);
            if (nodes[i] == last) {
                siftDown(i);
            }
        }
    }

    /**
     * Removes and returns the earliest node if it is due at {@code nowNs}, otherwise {@code null}.
     * A node is due when its deadline is not after now: never one nanosecond early.
     *
     * @param nowNs the loop's time
     * @return a due node or {@code null}
     */
    public TimerNode pollDue(long nowNs) {
        if (size == 0) {
            return null;
        }
        TimerNode first = nodes[0];
        if (first.deadlineNs - nowNs > 0) {
            return null;
        }
        cancel(first);
        return first;
    }

    /**
     * Whether any node is armed.
     *
     * @return {@code true} if empty
     */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * The earliest deadline; only meaningful when not {@link #isEmpty()}.
     *
     * @return the earliest deadline
     */
    public long earliestDeadlineNs() {
        return nodes[0].deadlineNs;
    }

    /**
     * Number of armed nodes.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    private static boolean before(TimerNode a, TimerNode b) {
        long d = a.deadlineNs - b.deadlineNs;
        return d < 0 || (d == 0 && a.seq < b.seq);
    }

    private void siftUp(int i) {
        TimerNode node = nodes[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TimerNode p = nodes[parent];
            if (!before(node, p)) {
                break;
            }
            nodes[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        nodes[i] = node;
        node.heapIndex = i;
    }

    private void siftDown(int i) {
        TimerNode node = nodes[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(nodes[right], nodes[child])) {
                child = right;
            }
            if (!before(nodes[child], node)) {
                break;
            }
            nodes[i] = nodes[child];
            nodes[i].heapIndex = i;
            i = child;
        }
        nodes[i] = node;
        node.heapIndex = i;
    }
}
