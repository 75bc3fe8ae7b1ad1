package dev.sluice.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.util.Arrays;

/**
 * A connection's pending output: entries in write order, each a buffer handed over by the caller, a
 * pooled chunk that {@link #copyIn} filled, or a region of a file ({@link #addFile}). Consecutive
 * buffers are written with one gathering write ({@code writev(2)}), up to {@link #MAX_GATHER} buffers
 * and {@link #MAX_GATHER_BYTES} bytes at a time; a file region at the head is written with {@link FileChannel#transferTo} ({@code sendfile(2)}
 * on Linux, so its bytes never enter the Java heap).
 *
 * <p>The queue is a flat array with a head index, compacted in place, so queuing and writing allocate
 * nothing once it has grown to its working size (a file region is one small object per
 * {@link #addFile}).
 *
 * <p>Thread: loop only.
 */
public final class OutboundBuffer {
    /** Linux's IOV_MAX; the JDK caps a gathering write at it anyway. */
    static final int MAX_GATHER = 1024;
    /**
     * Most bytes offered to one write. The JDK copies every heap buffer it is offered into a temporary
     * direct buffer first, and keeps those per thread, so an uncapped gather of 32 MiB queued for a slow
     * reader copied 32 MiB to send a few hundred KiB and left 32 MiB of direct memory behind (issue 10,
     * {@code GatherCapTest}). 256 KiB is above a loopback socket's usual send buffer, and four times
     * the default write budget, so a fast peer still takes a whole budget in one call.
     */
    static final long MAX_GATHER_BYTES = 256 * 1024;
    /**
     * Most bytes offered to one {@code transferTo}: far above any socket send buffer, so a shorter
     * transfer still means "the socket is full", yet below {@code sendfile(2)}'s 0x7ffff000 cap, which
     * would otherwise make a huge region look like a partial write on every call.
     */
    static final long MAX_TRANSFER_BYTES = 1L << 30;

    /** A file region still to send; {@code position} and {@code remaining} move as it is written. */
    private static final class FileRegion {
        final FileChannel file;
        long position;
        long remaining;

        FileRegion(FileChannel file, long position, long count) {
            this.file = file;
            this.position = position;
            this.remaining = count;
        }
    }

    private static final ByteBuffer[] NO_BUFFERS = {};
    private static final boolean[] NO_FLAGS = {};
    private static final FileRegion[] NO_REGIONS = {};

    /** Buffer entries; {@code null} where the entry is a file region. Empty until the first write: an
     *  idle connection pays for no queue. */
    private ByteBuffer[] bufs = NO_BUFFERS;
    private boolean[] pooled = NO_FLAGS;
    /** File region entries; {@code null} where the entry is a buffer. */
    private FileRegion[] regions = NO_REGIONS;
    /** File regions queued, so a queue of buffers only never scans for them. */
    private int regionCount;
    private int head;
    private int tail;
    private long pendingBytes;

    /** @return bytes queued and not yet written */
    public long pendingBytes() {
        return pendingBytes;
    }

    /** @return whether nothing is queued */
    public boolean isEmpty() {
        return head == tail;
    }

    /**
     * Queues a caller-owned buffer.
     *
     * @param buffer the buffer, in read mode
     */
    public void add(ByteBuffer buffer) {
        push(buffer, false, null);
        pendingBytes += buffer.remaining();
    }

    /**
     * Queues {@code count} bytes of {@code file} from {@code position}. The file is not closed here.
     *
     * @param file     the file, open for reading
     * @param position where the bytes start in the file
     * @param count    how many bytes, more than 0
     */
    public void addFile(FileChannel file, long position, long count) {
        push(null, false, new FileRegion(file, position, count));
        regionCount++;
        pendingBytes += count;
    }

    /**
     * Copies {@code src}'s remaining bytes into pooled chunks, filling the last queued chunk first.
     *
     * @param src  the bytes; its position moves to its limit
     * @param pool where chunks come from
     */
    public void copyIn(ByteBuffer src, BufferPool pool) {
        int n = src.remaining();
        pendingBytes += n;
        while (src.hasRemaining()) {
            ByteBuffer last = tail > head && pooled[tail - 1] ? bufs[tail - 1] : null;
            if (last == null || last.limit() == last.capacity()) {
                last = pool.acquire();
                last.limit(0);
                push(last, true, null);
            }
            int at = last.limit();
            int len = Math.min(last.capacity() - at, src.remaining());
            last.limit(at + len);
            last.put(at, src, src.position(), len);
            src.position(src.position() + len);
        }
    }

    /**
     * One write from the head of the queue: a gathering write of up to {@link #MAX_GATHER} buffers
     * (stopping before a file region), or one {@code transferTo} of the file region at the head. Fully
     * written entries leave the queue; pooled chunks go back to the pool. Call only when not empty.
     *
     * @param channel the channel
     * @param pool    where pooled chunks return
     * @return bytes written, and whether the socket took everything offered: see {@link #lastWriteWasPartial()}
     * @throws IOException from the channel or the file; {@link EOFException} when a file is shorter
     *                     than its queued region
     */
    public long writeTo(WriteTarget channel, BufferPool pool) throws IOException {
        if (regions[head] != null) {
            return transferRegion(channel);
        }
        int max = gatherableCount();
        int count = 0;
        long offered = 0;
        int cut = -1;
        int cutLimit = 0;
        while (count < max && offered < MAX_GATHER_BYTES) {
            ByteBuffer b = bufs[head + count];
            long room = MAX_GATHER_BYTES - offered;
            if (b.remaining() > room) { // offer only the front of it; the limit is put back below
                cut = head + count;
                cutLimit = b.limit();
                b.limit(b.position() + (int) room);
            }
            offered += b.remaining();
            count++;
        }
        long written;
        try {
            written = count == 1 ? channel.write(bufs[head]) : channel.write(bufs, head, count);
        } finally {
            if (cut >= 0) {
                bufs[cut].limit(cutLimit);
            }
        }
        partial = written < offered;
        pendingBytes -= written;
        while (head < tail && bufs[head] != null && !bufs[head].hasRemaining()) {
            if (pooled[head]) {
                pool.release(bufs[head]);
            }
            bufs[head] = null;
            head++;
        }
        resetIfEmpty();
        return written;
    }

    /** Buffers at the head before the first file region, at most {@link #MAX_GATHER}; call when not empty. */
    private int gatherableCount() {
        int max = Math.min(tail - head, MAX_GATHER);
        if (regionCount == 0) {
            return max;
        }
        int n = 0;
        while (n < max && regions[head + n] == null) {
            n++;
        }
        return n;
    }

    private long transferRegion(WriteTarget channel) throws IOException {
        FileRegion r = regions[head];
        long offered = Math.min(r.remaining, MAX_TRANSFER_BYTES);
        long written;
        try {
            written = channel.transferFrom(r.file, r.position, offered);
        } catch (NonReadableChannelException e) {
            throw new IOException("file region: the file is not open for reading", e);
        }
        if (written < offered && r.position + written >= r.file.size()) {
            // transferTo returns short both when the socket is full and at end of file. Without this
            // check a file that shrank after it was queued would wait for OP_WRITE forever.
            throw new EOFException("file region: the file ended at " + r.file.size() + " bytes, "
                    + (r.remaining - written) + " queued bytes short");
        }
        r.position += written;
        r.remaining -= written;
        pendingBytes -= written;
        partial = written < offered;
        if (r.remaining == 0) {
            regions[head] = null;
            regionCount--;
            head++;
            resetIfEmpty();
        }
        return written;
    }

    private void resetIfEmpty() {
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    private boolean partial;

    /** @return whether the last {@link #writeTo} wrote less than it offered (the socket was full) */
    public boolean lastWriteWasPartial() {
        return partial;
    }

    /**
     * Drops everything queued, returning pooled chunks. Files of dropped regions are left open: they
     * belong to the caller.
     *
     * @param pool where pooled chunks return
     * @return the bytes dropped
     */
    public long clear(BufferPool pool) {
        long dropped = pendingBytes;
        for (int i = head; i < tail; i++) {
            if (pooled[i]) {
                pool.release(bufs[i]);
            }
            bufs[i] = null;
            regions[i] = null;
        }
        regionCount = 0;
        head = 0;
        tail = 0;
        pendingBytes = 0;
        return dropped;
    }

    private void push(ByteBuffer b, boolean isPooled, FileRegion region) {
        if (tail == bufs.length) {
            if (head > 0) {
                int n = tail - head;
                System.arraycopy(bufs, head, bufs, 0, n);
                System.arraycopy(pooled, head, pooled, 0, n);
                System.arraycopy(regions, head, regions, 0, n);
                Arrays.fill(bufs, n, tail, null);
                Arrays.fill(regions, n, tail, null);
                tail = n;
                head = 0;
            }
            if (tail == bufs.length) {
                int size = Math.max(8, bufs.length * 2);
                bufs = Arrays.copyOf(bufs, size);
                pooled = Arrays.copyOf(pooled, size);
                regions = Arrays.copyOf(regions, size);
            }
        }
        bufs[tail] = b;
        pooled[tail] = isPooled;
        regions[tail] = region;
        tail++;
    }
}
