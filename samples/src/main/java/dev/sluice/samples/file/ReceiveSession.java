package dev.sluice.samples.file;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;
import dev.sluice.TimeoutKind;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * One incoming transfer: header, body, trailer, reply (see {@link TransferProtocol}). The body goes to a
 * temporary file as it arrives, through the CRC on the way; the trailer decides between renaming it into
 * place and deleting it. Whatever ends the connection early fails the transfer and deletes the file.
 *
 * <p>Thread: the receiver's loop thread only.
 */
final class ReceiveSession implements ConnectionHandler, TransferProgress {
    private static final int HEADER = 0;
    private static final int BODY = 1;
    private static final int TRAILER = 2;
    private static final int DONE = 3;

    private final FileReceiver receiver;
    private final HeaderDecoder headerDecoder = new HeaderDecoder();
    private final CRC32C crc = new CRC32C();
    private int state = HEADER;
    private Connection connection;
    private long startNs;
    private String name;
    private long size = -1;
    private long received;
    private Path target;
    private Path temp;
    private FileChannel out;

    ReceiveSession(FileReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        startNs = c.loop().nowNs();
        receiver.active.add(this);
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        try {
            if (state == HEADER) {
                TransferHeader h = headerDecoder.decode(data);
                if (h == null) {
                    return;
                }
                begin(h);
            }
            if (state == BODY) {
                body(data);
            }
            if (state == TRAILER && data.remaining() >= TransferProtocol.TRAILER_BYTES) {
                int claimed = data.getInt();
                if (data.hasRemaining()) {
                    fail("unexpected bytes after the trailer");
                } else {
                    finish(claimed);
                }
            }
            if (state == DONE) {
                data.position(data.limit()); // answered: anything more is of no interest
            }
        } catch (MalformedTransferException e) {
            fail(e.getMessage());
        } catch (IOException e) {
            fail("cannot write " + name + ": " + e.getMessage());
        }
    }

    private void begin(TransferHeader h) throws IOException {
        name = h.name();
        size = h.size();
        try {
            target = SafeNames.resolve(receiver.directory, name);
        } catch (IllegalArgumentException e) {
            fail("refused name: " + e.getMessage());
            return;
        }
        if (size > receiver.config.maxFileBytes()) {
            fail(name + " is " + size + " bytes, over the receiver's limit of " + receiver.config.maxFileBytes());
            return;
        }
        if (receiver.namesInProgress.contains(name)) {
            fail(name + " is being received already");
            return;
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!receiver.config.overwrite()) {
                fail(name + " exists (the receiver needs --force to overwrite)");
                return;
            }
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                fail(name + " is a directory");
                return;
            }
        }
        long usable = Files.getFileStore(receiver.directory).getUsableSpace();
        if (size > usable) {
            fail(name + " needs " + size + " bytes, only " + usable + " are free");
            return;
        }
        openTemporaryFile();
        receiver.namesInProgress.add(name);
        state = size == 0 ? TRAILER : BODY;
    }

    /**
     * Creates {@code .sluice-RANDOM.part} in the target directory. Not {@code Files.createTempFile}: that
     * makes the file private (0600), and the rename would keep those permissions; a file created the
     * ordinary way gets the process's umask like any other download.
     */
    private void openTemporaryFile() throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = receiver.directory.resolve(".sluice-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
            try {
                out = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                temp = candidate;
                return;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Writes the body bytes in {@code data} (not the trailer after them) and updates the CRC. */
    private void body(ByteBuffer data) throws IOException {
        int n = (int) Math.min(data.remaining(), size - received);
        int start = data.position();
        int limit = data.limit();
        data.limit(start + n);
        crc.update(data); // moves the position to the limit
        data.position(start);
        while (data.hasRemaining()) {
            out.write(data);
        }
        data.limit(limit);
        received += n;
        receiver.bytesReceived.addAndGet(n);
        if (received == size) {
            state = TRAILER;
        }
    }

    private void finish(int claimed) throws IOException {
        int actual = (int) crc.getValue();
        if (actual != claimed) {
            fail("CRC32C mismatch: the bytes received have " + TransferProtocol.hex(actual) + ", the sender says "
                    + TransferProtocol.hex(claimed));
            return;
        }
        out.close();
        out = null;
        try {
            if (receiver.config.overwrite()) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(temp, target); // fails rather than replace a file created meanwhile
            }
        } catch (FileAlreadyExistsException e) {
            fail(name + " appeared while it was being received; not overwritten");
            return;
        }
        temp = null;
        state = DONE;
        receiver.namesInProgress.remove(name);
        connection.write(ascii(TransferProtocol.okReply(size, actual)));
        connection.close();
        receiver.completed.incrementAndGet();
        report(TransferResult.succeeded(name, size, actual, elapsedNs()));
    }

    /** Fails the transfer once: deletes the temporary file, tells the sender why, and closes. */
    private void fail(String reason) {
        if (state == DONE) {
            return;
        }
        state = DONE;
        String leftover = cleanUp();
        connection.write(ascii(TransferProtocol.errReply(reason)));
        connection.close();
        receiver.failed.incrementAndGet();
        report(TransferResult.failed(name, size, received, leftover == null ? reason : reason + "; " + leftover,
                elapsedNs()));
    }

    /**
     * The receiver is closing: a transfer under way fails and its connection is reset rather than
     * drained. A finished one is left to its graceful close, which is still flushing its reply: a reset
     * now would throw away the OK of a file that did arrive.
     */
    void abort(String reason) {
        if (state == DONE) {
            return;
        }
        fail(reason);
        connection.abort();
    }

    @Override
    public void onInputClosed(Connection c) {
        fail(state == HEADER ? "the sender closed the connection before a complete header"
                : "the sender closed the connection after " + received + " of " + size + " bytes");
        c.close();
    }

    @Override
    public boolean onTimeout(Connection c, TimeoutKind kind) {
        fail("nothing received for " + receiver.config.idleTimeoutNs() / 1_000_000_000.0 + " s");
        return false; // fail has started a graceful close, so the sender still hears why
    }

    @Override
    public void onClose(Connection c, CloseReason reason, Throwable cause) {
        receiver.active.remove(this);
        if (connection == null) {
            return; // never opened
        }
        fail("connection " + reason.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " after "
                + received + " of " + (size < 0 ? "?" : String.valueOf(size)) + " bytes");
    }

    /** Closes and deletes the temporary file, if any; returns a problem worth reporting, or null. */
    private String cleanUp() {
        String problem = null;
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // Deleting it next is what matters.
            }
            out = null;
        }
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                problem = "the partial file " + temp + " could not be deleted: " + e.getMessage();
            }
            temp = null;
            receiver.namesInProgress.remove(name);
        }
        return problem;
    }

    private void report(TransferResult result) {
        receiver.onResult.accept(result);
    }

    private long elapsedNs() {
        return connection.loop().nowNs() - startNs;
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long doneBytes() {
        return received;
    }

    @Override
    public long totalBytes() {
        return size;
    }
}
