package dev.sluice.samples.load;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;

import java.nio.ByteBuffer;

/**
 * One load connection: keeps up to {@code depth} messages in flight, checks every echoed byte against
 * what was sent at that position, and reports each completed message's latency to the run.
 *
 * <p>Steady state allocates nothing: messages are slices of the run's {@link Payload} copied out with
 * {@link Connection#writeCopy}, checked with {@link ByteBuffer#mismatch}, and timed in a ring of
 * {@code depth} longs. The messages one read completes are sent again as one run, and what a read
 * brings is checked as one run: at 64 B x16 that is one {@code writeCopy} and one {@code mismatch} per
 * read, not sixteen of each (the C load generator's batching).
 *
 * <p>Thread: event loop only.
 */
final class LoadConnection implements ConnectionHandler {
    private final LoadRun run;
    private final int index;
    private final Payload payload;
    private final int messageBytes;
    private final int depth;
    /** Send time (or intended send time in open loop) of each message in flight, by index mod depth. */
    private final long[] sentAtNs;

    private Connection connection;
    private long sent;
    private long received;
    private int receivedOfCurrent;
    /** Where the next byte to send, and the next byte expected, sit in the pattern. */
    private int sendPosition;
    private int receivePosition;
    /** The slots of messages {@code sent} and {@code received} in {@link #sentAtNs}. */
    private int sendSlot;
    private int receiveSlot;
    private long bytesSent;
    private long bytesReceived;
    private long nextIntendedNs;
    private long intervalNs;
    private boolean opened;
    private boolean failed;
    private boolean closed;

    LoadConnection(LoadRun run, int index, Payload payload, int depth) {
        this.run = run;
        this.index = index;
        this.payload = payload;
        this.sendPosition = Payload.salt(index);
        this.receivePosition = sendPosition;
        this.messageBytes = payload.messageBytes();
        this.depth = depth;
        this.sentAtNs = new long[depth];
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        opened = true;
        run.opened(c);
    }

    /** Starts sending. In open loop, the first send is at {@code firstIntendedNs}, then every {@code intervalNs}. */
    void begin(long nowNs, long firstIntendedNs, long everyNs) {
        nextIntendedNs = firstIntendedNs;
        intervalNs = everyNs;
        refill(nowNs);
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        long nowNs = System.nanoTime(); // not the loop's iteration time: that was read before select slept
        long expected = (sent - received) * messageBytes - receivedOfCurrent;
        int n = (int) Math.min(data.remaining(), expected);
        if (n > 0) {
            if (!verify(data, n)) {
                return;
            }
            bytesReceived += n;
            receivedOfCurrent += n;
            while (receivedOfCurrent >= messageBytes) {
                receivedOfCurrent -= messageBytes;
                long sentAt = sentAtNs[receiveSlot];
                receiveSlot = receiveSlot + 1 == depth ? 0 : receiveSlot + 1;
                received++;
                run.completed(nowNs - sentAt);
            }
        }
        if (data.hasRemaining()) {
            fail(ErrorKind.UNEXPECTED_BYTES, data.remaining() + " bytes arrived with no message in flight (after "
                    + received + " messages, " + bytesReceived + " bytes; " + run.phaseName() + ")");
            data.position(data.limit());
            return;
        }
        refill(nowNs);
    }

    /** Checks {@code n} bytes at the buffer's position against the stream, and consumes them. */
    private boolean verify(ByteBuffer data, int n) {
        int limit = data.limit();
        int checked = 0;
        while (checked < n) {
            int position = data.position();
            int len = Math.min(n - checked, payload.contiguousFrom(receivePosition));
            data.limit(position + len);
            ByteBuffer expectView = payload.expectView();
            int at = data.mismatch(Payload.sliceAt(expectView, receivePosition, len));
            data.limit(limit);
            if (at >= 0) {
                long offset = bytesReceived + checked + at;
                fail(ErrorKind.WRONG_BYTE, String.format("byte %d (message %d, byte %d) should be 0x%02x, was 0x%02x",
                        offset, offset / messageBytes, offset % messageBytes,
                        expectView.get(receivePosition + at) & 0xff, data.get(position + at) & 0xff));
                data.position(limit);
                return false;
            }
            data.position(position + len);
            receivePosition = Payload.advance(receivePosition, len);
            checked += len;
        }
        return true;
    }

    /** Sends while a slot is free: at once in closed loop, when the schedule says so in open loop. */
    void refill(long nowNs) {
        if (!run.sending() || failed || closed) {
            return;
        }
        int due = 0;
        if (intervalNs == 0) {
            while (sent + due - received < depth) {
                stamp(nowNs);
                due++;
            }
        } else {
            while (sent + due - received < depth && nextIntendedNs - nowNs <= 0) {
                // Latency counts from when the message should have gone, so a stalled server is charged for
                // the messages it kept us from sending (coordinated omission, as wrk2 corrects it).
                stamp(nextIntendedNs);
                nextIntendedNs += intervalNs;
                due++;
            }
        }
        if (due > 0) {
            send(due);
        }
    }

    private void stamp(long stampNs) {
        sentAtNs[sendSlot] = stampNs;
        sendSlot = sendSlot + 1 == depth ? 0 : sendSlot + 1;
    }

    /** Sends the next {@code count} messages, stamped already, as one run of the stream. */
    private void send(int count) {
        long bytes = (long) count * messageBytes;
        while (bytes > 0) {
            int len = (int) Math.min(bytes, payload.contiguousFrom(sendPosition));
            if (!connection.writeCopy(Payload.sliceAt(payload.sendView(), sendPosition, len))) {
                fail(ErrorKind.CLOSED, "write refused: the connection is closing");
                return;
            }
            sendPosition = Payload.advance(sendPosition, len);
            bytes -= len;
        }
        sent += count;
        bytesSent += (long) count * messageBytes;
    }

    private void fail(ErrorKind kind, String detail) {
        if (failed) {
            return;
        }
        failed = true;
        run.error(kind, this + ": " + detail);
        connection.abort();
    }

    @Override
    public void onClose(Connection c, CloseReason reason, Throwable cause) {
        closed = true;
        if (!failed && !run.closingExpected()) {
            failed = true;
            run.error(ErrorKind.of(reason, opened), this + ": " + describe(reason, cause));
        }
        run.closed(this, opened);
    }

    private String describe(CloseReason reason, Throwable cause) {
        String what = opened ? "closed (" + reason + ") after " + bytesReceived + " bytes echoed" : switch (reason) {
            case CONNECT_TIMEOUT -> "connect timed out";
            case TLS_HANDSHAKE_TIMEOUT -> "TLS handshake timed out";
            case TLS_HANDSHAKE_FAILED, TLS_ERROR, TLS_TRUNCATED -> "TLS handshake failed";
            default -> "connect failed";
        };
        if (cause == null || cause.getMessage() == null) {
            return what;
        }
        // The engine's TLS causes already say "TLS handshake failed: ...".
        return cause.getMessage().startsWith(what) ? cause.getMessage() : what + ": " + cause.getMessage();
    }

    /** Ends the connection gracefully: FIN after pending output, close when the server closes too. */
    void close() {
        if (!closed && connection != null) {
            connection.close();
        }
    }

    /** Reports messages still in flight after the drain; returns whether there were any. */
    boolean reportUnanswered() {
        if (failed || closed || sent == received) {
            return false;
        }
        fail(ErrorKind.NOT_ECHOED, (sent - received) + " of " + sent + " messages not echoed ("
                + (bytesSent - bytesReceived) + " bytes missing)");
        return true;
    }

    boolean inFlight() {
        return !failed && !closed && sent != received;
    }

    boolean isOpen() {
        return opened && !closed && !failed;
    }

    long bytesSent() {
        return bytesSent;
    }

    long bytesReceived() {
        return bytesReceived;
    }

    @Override
    public String toString() {
        return "connection " + index;
    }
}
