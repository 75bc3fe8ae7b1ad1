package dev.sluice.samples.file;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;
import dev.sluice.TimeoutKind;
import dev.sluice.codec.FrameSink;
import dev.sluice.codec.FrameTooLongException;
import dev.sluice.codec.LineFramer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One outgoing transfer: the header, the file in pieces while the connection is writable, the CRC
 * trailer once both the last piece is queued and the CRC is known, then the receiver's reply.
 *
 * <p>The outcome is decided by the reply (or by whatever ends the connection first) and reported in
 * {@link #onClose}, after the file is closed: the engine never closes a file given to
 * {@code writeFile}, so this is where it is done.
 *
 * <p>Thread: the sender's loop thread only.
 */
final class SendSession implements ConnectionHandler, FrameSink, TransferProgress {
    private final FileSender sender;
    private final String name;
    private final FileChannel file;
    private final long size;
    private final CompletableFuture<TransferResult> result;
    private final ByteBuffer header;
    private final int headerBytes;
    private final LineFramer replyFramer = new LineFramer(TransferProtocol.MAX_REPLY_BYTES);
    private Connection connection;
    private long startNs;
    /** File bytes queued with writeFile. */
    private long queued;
    private boolean crcKnown;
    private int crc;
    private boolean trailerSent;
    private TransferResult outcome;

    SendSession(FileSender sender, String name, FileChannel file, long size, CompletableFuture<TransferResult> result) {
        this.sender = sender;
        this.name = name;
        this.file = file;
        this.size = size;
        this.result = result;
        this.header = TransferProtocol.encodeHeader(name, size);
        this.headerBytes = header.remaining();
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        startNs = c.loop().nowNs();
        if (outcome != null) {
            c.abort(); // failed while connecting (the file could not be read)
            return;
        }
        c.write(header);
        pump();
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        pump();
    }

    /** Queues pieces while writable; the trailer once everything is queued and the CRC is known. */
    private void pump() {
        if (outcome != null || connection == null) {
            return;
        }
        int piece = sender.config.pieceBytes();
        while (connection.isWritable() && queued < size) {
            long n = Math.min(piece, size - queued);
            if (!connection.writeFile(file, queued, n)) {
                return; // closing: onClose reports why
            }
            queued += n;
        }
        if (queued == size && crcKnown && !trailerSent) {
            trailerSent = true;
            connection.write(TransferProtocol.encodeTrailer(crc));
            // Everything is sent; the receiver now has the stall timeout to verify and answer.
            connection.setDeadline(connection.loop().nowNs() + sender.config.stallTimeoutNs());
        }
    }

    /** The CRC worker finished (on the loop thread, via execute). */
    void crcDone(Integer value, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof UncheckedIOException) {
                cause = cause.getCause();
            }
            decide(TransferResult.failed(name, size, sentBytes(), "cannot read the file: " + cause.getMessage(),
                    elapsedNs()));
            if (connection != null) {
                connection.abort();
            }
            return;
        }
        crc = value;
        crcKnown = true;
        pump();
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        try {
            replyFramer.decode(data, this);
        } catch (FrameTooLongException e) {
            decide(failure("the receiver's reply is not the protocol (a line over "
                    + TransferProtocol.MAX_REPLY_BYTES + " bytes)"));
            c.abort();
        }
    }

    @Override
    public void onFrame(ByteBuffer line) {
        if (outcome != null) {
            return;
        }
        String reply = StandardCharsets.UTF_8.decode(line).toString();
        String expected = TransferProtocol.okReply(size, crc).trim();
        if (trailerSent && reply.equals(expected)) {
            decide(TransferResult.succeeded(name, size, crc, elapsedNs()));
            connection.close();
        } else if (reply.startsWith("ERR ")) {
            decide(failure("the receiver refused: " + reply.substring(4)));
            connection.abort(); // no point sending what is left
        } else {
            decide(failure("unexpected reply from the receiver: " + reply));
            connection.abort();
        }
    }

    @Override
    public boolean onTimeout(Connection c, TimeoutKind kind) {
        long seconds = sender.config.stallTimeoutNs() / 1_000_000_000L;
        decide(failure(kind == TimeoutKind.DEADLINE ? "no reply within " + seconds + " s after sending everything"
                : "the receiver took nothing for " + seconds + " s"));
        return true;
    }

    @Override
    public void onClose(Connection c, CloseReason reason, Throwable cause) {
        sender.active.remove(this);
        try {
            file.close();
        } catch (IOException ignored) {
            // Read-only: nothing is lost.
        }
        String why = reason == CloseReason.CONNECT_FAILED || reason == CloseReason.CONNECT_TIMEOUT
                ? "cannot connect: " + (cause != null ? cause.getMessage() : reason)
                : "connection " + reason.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " with " + queued
                        + " of " + size + " bytes queued, before the receiver confirmed";
        decide(failure(why));
        sender.onResult.accept(outcome);
        result.complete(outcome);
    }

    /** The first outcome stands. */
    private void decide(TransferResult r) {
        if (outcome == null) {
            outcome = r;
        }
    }

    private TransferResult failure(String reason) {
        return TransferResult.failed(name, size, sentBytes(), reason, elapsedNs());
    }

    private long elapsedNs() {
        return connection == null ? 0 : connection.loop().nowNs() - startNs;
    }

    /**
     * File bytes the kernel has taken: what was queued minus what is still pending. Once the connection
     * is closed nothing is pending any more, and this is what was queued.
     */
    private long sentBytes() {
        if (connection == null) {
            return 0;
        }
        long queuedTotal = headerBytes + queued + (trailerSent ? TransferProtocol.TRAILER_BYTES : 0);
        long written = queuedTotal - connection.pendingOutputBytes() - headerBytes;
        return Math.max(0, Math.min(size, written));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long doneBytes() {
        return sentBytes();
    }

    @Override
    public long totalBytes() {
        return size;
    }
}
