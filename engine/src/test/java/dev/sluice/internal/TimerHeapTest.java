package dev.sluice.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimerHeapTest {

    static final class Node extends TimerNode {
        final int id;

        Node(int id) {
            this.id = id;
        }

        @Override
        protected void onExpire(long nowNs) {
        }
    }

    @Test
    void shouldReturnNodesInDeadlineOrderWithArmOrderBreakingTies() {
        TimerHeap heap = new TimerHeap();
        Node a = new Node(1);
        Node b = new Node(2);
        Node c = new Node(3);
        heap.schedule(c, 20);
        heap.schedule(a, 10);
        heap.schedule(b, 10);
        assertNull(heap.pollDue(9), "nothing is due one nanosecond early");
        assertSame(a, heap.pollDue(10));
        assertSame(b, heap.pollDue(10));
        assertNull(heap.pollDue(19));
        assertSame(c, heap.pollDue(20));
        assertTrue(heap.isEmpty());
    }

    @Test
    void shouldMoveAndCancelArmedNodes() {
        TimerHeap heap = new TimerHeap();
        Node a = new Node(1);
        Node b = new Node(2);
        heap.schedule(a, 10);
        heap.schedule(b, 20);
        heap.schedule(a, 30); // later
        assertEquals(20, heap.earliestDeadlineNs());
        heap.schedule(a, 5); // earlier
        assertEquals(5, heap.earliestDeadlineNs());
        heap.cancel(a);
        assertFalse(a.isScheduled());
        heap.cancel(a); // idempotent
        assertEquals(1, heap.size());
        assertSame(b, heap.pollDue(100));
    }

    @Test
    void shouldOrderDeadlinesAcrossNanoTimeWrapAround() {
        TimerHeap heap = new TimerHeap();
        Node before = new Node(1);
        Node after = new Node(2);
        heap.schedule(after, Long.MIN_VALUE + 5); // past the wrap
        heap.schedule(before, Long.MAX_VALUE - 5);
        assertSame(before, heap.pollDue(Long.MAX_VALUE - 5));
        assertNull(heap.pollDue(Long.MAX_VALUE));
        assertSame(after, heap.pollDue(Long.MIN_VALUE + 5));
    }

    @Test
    void shouldMatchAReferenceQueueUnderRandomOperations() {
        Random rnd = new Random(11);
        TimerHeap heap = new TimerHeap();
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            nodes.add(new Node(i));
        }
        long now = 0;
        for (int step = 0; step < 20_000; step++) {
            Node n = nodes.get(rnd.nextInt(nodes.size()));
            switch (rnd.nextInt(3)) {
                case 0 -> heap.schedule(n, now + rnd.nextInt(1000));
                case 1 -> heap.cancel(n);
                default -> {
                    now += rnd.nextInt(50);
                    PriorityQueue<Node> expected = new PriorityQueue<>((x, y) -> x.deadlineNs != y.deadlineNs
                            ? Long.compare(x.deadlineNs, y.deadlineNs) : Long.compare(x.seq, y.seq));
                    for (Node m : nodes) {
                        if (m.isScheduled() && m.deadlineNs() <= now) {
                            expected.add(m);
                        }
                    }
                    TimerNode due;
                    while ((due = heap.pollDue(now)) != null) {
                        assertSame(expected.poll(), due);
                    }
                    assertTrue(expected.isEmpty());
                }
            }
        }
    }
}
