package dev.sluice.samples.http;

import dev.sluice.Connection;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Thread: the connection's loop thread only.
 *
 * <p>Sends one file's bytes to a connection with {@link FileChannel#transferTo}, a slice at a time,
 * so that a large file never sits in memory: the caller sends slices while the connection is
 * writable and resumes when it becomes writable again.
 *
 * <p>The engine owns its socket channels and has no file-region write, so the target of
 * {@code transferTo} is this adapter, which hands each block to {@link Connection#writeCopy}. The JDK
 * then copies through a small buffer instead of calling {@code sendfile(2)}: the bytes cross user
 * space once. A zero-copy path needs an engine API such as {@code Connection.writeFile(FileChannel,
 * position, count)}.
 */
final class FileTransfer implements WritableByteChannel {

    /** Bytes moved per {@code transferTo} call: the high watermark's worth. */
    private static final long SLICE_BYTES = 64 * 1024;

    private final FileChannel file;
    private final long end;
    private long position;
    private Connection target;

    FileTransfer(FileChannel file, long size) {
        this.file = file;
        this.end = size;
    }

    /**
     * Sends the next slice.
     *
     * @param connection where to send it
     * @return whether the whole file has now been queued
     * @throws IOException when the file cannot be read, shrank, or the connection stopped accepting writes
     */
    boolean sendSlice(Connection connection) throws IOException {
        if (position == end) {
            return true;
        }
        target = connection;
        long n = file.transferTo(position, Math.min(SLICE_BYTES, end - position), this);
        if (n <= 0) {
            throw new EOFException("file shrank to " + position + " of its " + end + " bytes while being sent");
        }
        position += n;
        return position == end;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = src.remaining();
        if (!target.writeCopy(src)) {
            throw new ClosedChannelException();
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return file.isOpen();
    }

    /** Closes the file. */
    @Override
    public void close() throws IOException {
        file.close();
    }
}
