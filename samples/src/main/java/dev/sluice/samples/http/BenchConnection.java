package dev.sluice.samples.http;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;
import dev.sluice.TimeoutKind;
import java.nio.ByteBuffer;

/**
 * Thread: the benchmark thread's loop only (a {@link ConnectionHandler}).
 *
 * <p>One benchmark connection. Closed loop: keeps {@code pipeline} requests in flight, sending the
 * next as each response completes, latency from the send. At a fixed rate: sends each request of its
 * slot's {@link RateSchedule} when its intended time comes (at once when it is already late, with up
 * to {@code pipeline} in flight), waking for the next one with the connection's absolute deadline,
 * latency from the intended time.
 *
 * <p>The steady state allocates nothing: the request is a prebuilt buffer copied with
 * {@code writeCopy}, send times sit in a ring, {@link BenchResponseScanner} frames responses without
 * making strings, the pacing timer is the connection's own deadline, and the clock is read once per
 * batch of bytes.
 */
final class BenchConnection implements ConnectionHandler {

    private final BenchRun run;
    final int slot;
    private final RateSchedule schedule;
    private final BenchResponseScanner scanner = new BenchResponseScanner();
    private final long[] sentNs;
    private int head;
    private int tail;
    private int inFlight;
    private boolean opened;
    private boolean closingOnPurpose;
    Connection connection;

    BenchConnection(BenchRun run, int slot, RateSchedule schedule) {
        this.run = run;
        this.slot = slot;
        this.schedule = schedule;
        this.sentNs = new long[run.config.pipeline()];
    }

    @Override
    public void onOpen(Connection c) {
        opened = true;
        run.opened();
        if (run.stopped()) {
            closingOnPurpose = true;
            c.close();
            return;
        }
        sendWhatIsDue(c, run.clock.nanoTime());
    }

    /** Fills the window: closed loop at once; at a fixed rate what the schedule says is due by now. */
    private void sendWhatIsDue(Connection c, long nowNs) {
        if (schedule == null) {
            while (inFlight < sentNs.length) {
                send(c, nowNs);
            }
            return;
        }
        while (inFlight < sentNs.length && schedule.due(nowNs)) {
            send(c, schedule.take());
        }
        if (inFlight < sentNs.length) {
            c.setDeadline(schedule.nextNs()); // the loop clock is the run's clock
        }
    }

    private void send(Connection c, long latencyFromNs) {
        c.writeCopy(run.request.rewind());
        sentNs[tail] = latencyFromNs;
        tail = tail + 1 == sentNs.length ? 0 : tail + 1;
        inFlight++;
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        if (run.stopped()) {
            data.position(data.limit()); // responses after the end do not count
            return;
        }
        run.received(data.remaining());
        long now = 0;
        boolean haveNow = false;
        try {
            while (data.hasRemaining() && scanner.scan(data) == BenchResponseScanner.Result.COMPLETE) {
                if (!haveNow) {
                    now = run.clock.nanoTime(); // once per read: the responses in it arrived together
                    haveNow = true;
                }
                if (!complete(c, now)) {
                    data.position(data.limit());
                    return;
                }
            }
        } catch (HttpParseException e) {
            run.error(HttpBench.ErrorKind.PARSE);
            closingOnPurpose = true;
            c.abort();
        }
    }

    /** One response ended: record it, then send what is due; false when the connection ends with it. */
    private boolean complete(Connection c, long nowNs) {
        if (inFlight == 0) {
            run.error(HttpBench.ErrorKind.PARSE); // a response nobody asked for
            closingOnPurpose = true;
            c.abort();
            return false;
        }
        run.completed(scanner.status(), nowNs - sentNs[head]);
        head = head + 1 == sentNs.length ? 0 : head + 1;
        inFlight--;
        boolean keepAlive = scanner.keepAlive();
        scanner.reset();
        if (!keepAlive) {
            closingOnPurpose = true;
            c.close(); // the server ends the connection after this response: replace it
            return false;
        }
        sendWhatIsDue(c, nowNs);
        return true;
    }

    @Override
    public void onInputClosed(Connection c) {
        if (scanner.endOfInput()) {
            complete(c, run.clock.nanoTime());
        }
        c.close();
    }

    @Override
    public boolean onTimeout(Connection c, TimeoutKind kind) {
        if (kind == TimeoutKind.DEADLINE) {
            if (!run.stopped()) {
                sendWhatIsDue(c, run.clock.nanoTime());
            }
            return false;
        }
        if (inFlight == 0) {
            return false;
        }
        run.error(HttpBench.ErrorKind.TIMEOUT);
        closingOnPurpose = true;
        return true;
    }

    @Override
    public void onClose(Connection c, CloseReason reason, Throwable cause) {
        run.closed(this, reason, cause, opened, closingOnPurpose);
    }
}
