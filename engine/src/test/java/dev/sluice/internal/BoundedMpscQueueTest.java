package dev.sluice.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BoundedMpscQueueTest {

    @Test
    void shouldHoldExactlyItsCapacityAndRefuseTheNext() {
        BoundedMpscQueue<Integer> q = new BoundedMpscQueue<>(5); // not a power of two: the bound is exact
        for (int i = 0; i < 5; i++) {
            assertEquals(BoundedMpscQueue.OK, q.offer(i));
        }
        assertEquals(BoundedMpscQueue.FULL, q.offer(5));
        assertEquals(5, q.size());
        assertEquals(0, q.poll());
        assertEquals(BoundedMpscQueue.OK, q.offer(5), "a slot freed by poll is usable again");
        for (int i = 1; i <= 5; i++) {
            assertEquals(i, q.poll());
        }
        assertNull(q.poll());
        assertTrue(q.isEmpty());
    }

    @Test
    void shouldRefuseEveryOfferAfterTheSealAndStillHandOutWhatCameBefore() {
        BoundedMpscQueue<String> q = new BoundedMpscQueue<>(8);
        q.offer("a");
        q.offer("b");
        q.seal();
        assertEquals(BoundedMpscQueue.SEALED, q.offer("c"));
        assertEquals("a", q.poll());
        assertEquals("b", q.poll());
        assertNull(q.poll());
    }

    @Test
    void shouldLoseNothingAndKeepEachProducersOrderUnderContention() throws Exception {
        int producers = 4;
        int each = 200_000;
        BoundedMpscQueue<long[]> q = new BoundedMpscQueue<>(1024);
        AtomicLong refusals = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads[p] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long i = 0; i < each; i++) {
                    long[] item = {id, i};
                    while (q.offer(item) == BoundedMpscQueue.FULL) {
                        refusals.incrementAndGet();
                        Thread.onSpinWait();
                    }
                }
            });
            threads[p].start();
        }
        go.countDown();
        long[] next = new long[producers];
        long received = 0;
        while (received < (long) producers * each) {
            long[] item = q.poll();
            if (item == null) {
                Thread.onSpinWait();
                continue;
            }
            int id = (int) item[0];
            assertEquals(next[id], item[1], "producer " + id + " out of order");
            next[id]++;
            received++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(q.poll(), "nothing extra");
        for (int p = 0; p < producers; p++) {
            assertEquals(each, next[p]);
        }
    }
}
