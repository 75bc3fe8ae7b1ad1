package dev.sluice.reliability;

import dev.sluice.Connection;
import dev.sluice.codec.FrameTooLongException;
import dev.sluice.codec.LineFramer;
import dev.sluice.testing.RecordingHandler;

import java.nio.ByteBuffer;

/**
 * A line-framed echo server's handler: each line comes back followed by {@code '\n'}. Two defences a
 * line server facing hostile peers needs, both visible to the tests:
 *
 * <ul>
 *   <li>a line longer than {@code maxLineBytes} aborts the connection (RST) at once: the framer never
 *       holds more than the limit, and aborting, unlike a graceful close, does not spend a lingering
 *       close reading the rest of a 100 MB line just to discard it;</li>
 *   <li>with {@code lineDeadlineNs > 0}, a line must be complete within that time of its first byte
 *       (an absolute {@link Connection#setDeadline} deadline): the defence against slowloris, which
 *       sends just often enough to keep a read-idle timeout from ever firing.</li>
 * </ul>
 *
 * <p>Thread: loop; the recorded fields are safe to read from any thread.
 */
class LineEchoHandler extends RecordingHandler {
    private static final ByteBuffer NEWLINE = ByteBuffer.wrap(new byte[] {'\n'}).asReadOnlyBuffer();

    private final LineFramer framer;
    private final long lineDeadlineNs;
    private boolean lineOpen;
    private boolean lineCompleted;
    private Connection current;

    volatile FrameTooLongException tooLong;
    /** Most bytes the framer ever held for an incomplete line. */
    volatile int maxHeldBytes;
    /** Most input the engine held for this loop at any onData (the handler consumes everything). */
    volatile long maxEngineBufferedInput;

    LineEchoHandler(int maxLineBytes, long lineDeadlineNs) {
        this.framer = new LineFramer(maxLineBytes);
        this.lineDeadlineNs = lineDeadlineNs;
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        bytesIn.addAndGet(data.remaining());
        maxEngineBufferedInput = Math.max(maxEngineBufferedInput, c.loop().stats().bufferedInputBytes());
        current = c;
        lineCompleted = false;
        try {
            framer.decode(data, this::echoLine);
        } catch (FrameTooLongException e) {
            tooLong = e;
            c.abort();
            return;
        }
        maxHeldBytes = Math.max(maxHeldBytes, framer.bufferedBytes());
        if (lineDeadlineNs > 0) {
            boolean partial = framer.bufferedBytes() > 0;
            if (partial && (!lineOpen || lineCompleted)) {
                c.setDeadline(c.loop().nowNs() + lineDeadlineNs); // a new line started in this read
                lineOpen = true;
            } else if (!partial && lineOpen) {
                c.clearDeadline();
                lineOpen = false;
            }
        }
    }

    private void echoLine(ByteBuffer line) {
        current.writeCopy(line);
        current.writeCopy(NEWLINE.duplicate());
        lineCompleted = true;
    }
}
