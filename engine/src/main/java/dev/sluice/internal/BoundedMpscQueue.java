package dev.sluice.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded multi-producer, single-consumer queue on one array, which can be sealed so that no
 * producer gets in after the consumer's last drain.
 *
 * <p>A producer claims a slot by advancing the producer index with a CAS, then stores its element
 * with release semantics; the consumer reads slots in index order with acquire semantics and clears
 * them. A slot that was claimed but not yet stored (a producer between its CAS and its store) reads
 * {@code null} while the indices say it is there: {@link #poll()} waits those few instructions out,
 * so elements come out exactly in claim order and none is skipped. The scheme is the one of JCTools'
 * {@code MpscArrayQueue}, written small.
 *
 * <p>Sealing sets the sign bit of the producer index: claims fail from then on, and every claim made
 * before it is still drained. That is what lets the loop promise that a task {@code execute} accepted
 * runs, even when it raced the loop's close.
 *
 * <p>Thread: {@link #offer}, {@link #size} and {@link #seal} any; {@link #poll} and {@link #isEmpty}
 * the single consumer only.
 */
final class BoundedMpscQueue<E> {
    static final int OK = 0;
    static final int FULL = 1;
    static final int SEALED = 2;

    private static final long SEAL = Long.MIN_VALUE;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle CONSUMER;

    static {
        try {
            CONSUMER = MethodHandles.lookup().findVarHandle(BoundedMpscQueue.class, "consumerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] slots;
    private final int mask;
    private final int capacity;
    private final AtomicLong producerIndex = new AtomicLong();
    /** Written by the consumer only (release), read by producers (acquire) to see free room. */
    @SuppressWarnings("unused") // through CONSUMER
    private volatile long consumerIndex;

    /**
     * @param capacity elements held at most; the array is the next power of two, the bound is exact
     */
    BoundedMpscQueue(int capacity) {
        if (capacity < 1 || capacity > 1 << 30) {
            throw new IllegalArgumentException("capacity must be 1..2^30: " + capacity);
        }
        int size = Integer.highestOneBit(capacity);
        if (size < capacity) {
            size <<= 1;
        }
        this.slots = new Object[size];
        this.mask = size - 1;
        this.capacity = capacity;
    }

    /**
     * Adds {@code e} at the tail.
     *
     * @param e the element, not null
     * @return {@link #OK}, {@link #FULL} or {@link #SEALED}
     */
    int offer(E e) {
        while (true) {
            long p = producerIndex.get();
            if (p < 0) {
                return SEALED;
            }
            if (p - (long) CONSUMER.getAcquire(this) >= capacity) {
                return FULL;
            }
            if (producerIndex.compareAndSet(p, p + 1)) {
                SLOT.setRelease(slots, (int) (p & mask), e);
                return OK;
            }
        }
    }

    /**
     * Removes the head.
     *
     * @return the head, or {@code null} when nothing was claimed
     */
    @SuppressWarnings("unchecked")
    E poll() {
        long c = (long) CONSUMER.getOpaque(this);
        int i = (int) (c & mask);
        Object e = SLOT.getAcquire(slots, i);
        if (e == null) {
            if (c == (producerIndex.get() & ~SEAL)) {
                return null;
            }
            do { // claimed, not yet stored: the producer is a few instructions from done
                Thread.onSpinWait();
                e = SLOT.getAcquire(slots, i);
            } while (e == null);
        }
        SLOT.setOpaque(slots, i, null);
        CONSUMER.setRelease(this, c + 1);
        return (E) e;
    }

    /** @return whether nothing is claimed (a claimed slot counts, stored or not); consumer only */
    boolean isEmpty() {
        return (long) CONSUMER.getOpaque(this) == (producerIndex.get() & ~SEAL);
    }

    /** @return elements claimed and not yet polled; any thread, a moment's estimate */
    int size() {
        long c = (long) CONSUMER.getAcquire(this);
        return (int) Math.max(0, (producerIndex.get() & ~SEAL) - c);
    }

    /** @return the bound */
    int capacity() {
        return capacity;
    }

    /** Refuses every later {@link #offer}; what was claimed before stays to be polled. */
    void seal() {
        producerIndex.getAndUpdate(p -> p | SEAL);
    }
}
