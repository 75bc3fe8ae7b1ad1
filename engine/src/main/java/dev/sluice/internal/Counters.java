package dev.sluice.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The loop's counters: plain slots of one {@code long[]}, written only by the loop thread and read by
 * any thread. Accesses are "opaque" (JDK 9 memory-order mode): on x86 and ARM they compile to plain
 * loads and stores, yet a reader never sees a torn long and eventually sees every update. No counter
 * costs a fence or a CAS on the hot path.
 *
 * <p>Thread: {@link #add}, {@link #inc} and {@link #set} on the owning loop thread only (one writer per
 * slot, so a plain read-add-store is exact); {@link #get} and {@link #snapshot} any.
 */
public final class Counters {
    public static final int ITERATIONS = 0;
    public static final int SELECTS = 1;
    public static final int SELECT_NOWS = 2;
    public static final int WAKEUPS = 3;
    public static final int TASKS = 4;
    public static final int READS = 5;
    public static final int BYTES_READ = 6;
    public static final int WRITES = 7;
    public static final int PARTIAL_WRITES = 8;
    public static final int BYTES_WRITTEN = 9;
    public static final int ACCEPTS = 10;
    public static final int CONNECTS = 11;
    public static final int BECAME_UNWRITABLE = 12;
    public static final int BECAME_WRITABLE = 13;
    public static final int TIMEOUT_CONNECT = 14;
    public static final int TIMEOUT_READ_IDLE = 15;
    public static final int TIMEOUT_WRITE_STALL = 16;
    public static final int TIMEOUT_DEADLINE = 17;
    public static final int WRITES_DROPPED = 18;
    public static final int HANDLER_ERRORS = 19;
    public static final int ACCEPT_ERRORS = 20;
    public static final int REJECTED = 21;
    public static final int OPEN_CONNECTIONS = 22;
    public static final int PENDING_OUTPUT_BYTES = 23;
    public static final int PEAK_PENDING_OUTPUT_BYTES = 24;
    public static final int BUFFERED_INPUT_BYTES = 25;
    public static final int TIMERS_FIRED = 26;
    public static final int EMPTY_SELECTS = 27;
    public static final int DATAGRAMS_RECEIVED = 28;
    public static final int DATAGRAMS_SENT = 29;
    public static final int DATAGRAMS_DROPPED = 30;
    public static final int TIMEOUT_CLOSE = 31;
    /** Filled in from the task queue when a snapshot is taken (producers write it, not the loop). */
    public static final int TASKS_REJECTED = 32;
    /** Likewise: a gauge of tasks waiting when the snapshot was taken. */
    public static final int TASK_QUEUE_DEPTH = 33;
    /** First of one slot per {@code CloseReason}, by ordinal. */
    public static final int CLOSES = 34;
    public static final int SIZE = CLOSES + 24;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots = new long[SIZE];

    /**
     * Adds to a slot. Thread: loop only.
     *
     * @param slot  the slot
     * @param delta the amount
     */
    public void add(int slot, long delta) {
        SLOT.setOpaque(slots, slot, slots[slot] + delta);
    }

    /**
     * Increments a slot. Thread: loop only.
     *
     * @param slot the slot
     */
    public void inc(int slot) {
        SLOT.setOpaque(slots, slot, slots[slot] + 1);
    }

    /**
     * Sets a slot. Thread: loop only.
     *
     * @param slot  the slot
     * @param value the value
     */
    public void set(int slot, long value) {
        SLOT.setOpaque(slots, slot, value);
    }

    /**
     * Reads a slot. Thread: any.
     *
     * @param slot the slot
     * @return its value
     */
    public long get(int slot) {
        return (long) SLOT.getOpaque(slots, slot);
    }

    /**
     * Copies every slot. Thread: any.
     *
     * @return the copy
     */
    public long[] snapshot() {
        long[] copy = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            copy[i] = (long) SLOT.getOpaque(slots, i);
        }
        return copy;
    }
}
