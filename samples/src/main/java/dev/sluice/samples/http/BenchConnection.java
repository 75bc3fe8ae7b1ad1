package dev.sluice.samples.http;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;
import dev.sluice.TimeoutKind;
import java.nio.ByteBuffer;

/**
 * Thread: the benchmark's loop thread only (a {@link ConnectionHandler} and {@link ResponseListener}).
 *
 * <p>One benchmark connection: keeps {@code pipeline} requests in flight, sending the next as each
 * response completes. The steady state allocates nothing of its own: the request is a prebuilt buffer
 * copied with {@code writeCopy}, send times sit in a ring, the parser is reset and reused, and the
 * clock is read once per batch of bytes. (The response parser itself still makes strings for header
 * fields.)
 */
final class BenchConnection implements ConnectionHandler, ResponseListener {

    private final BenchRun run;
    private final HttpResponseParser parser = new HttpResponseParser(this);
    private final long[] sentNs;
    private int head;
    private int tail;
    private int inFlight;
    private int status;
    private boolean opened;
    private boolean closingOnPurpose;
    Connection connection;

    BenchConnection(BenchRun run) {
        this.run = run;
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
        long now = run.clock.nanoTime();
        while (inFlight < sentNs.length) {
            send(c, now);
        }
    }

    private void send(Connection c, long nowNs) {
        c.writeCopy(run.request.rewind());
        sentNs[tail] = nowNs;
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
            while (parser.parse(data) == HttpResponseParser.Result.COMPLETE) {
                if (!haveNow) {
                    now = run.clock.nanoTime(); // once per read: the responses in it arrived together
                    haveNow = true;
                }
                run.completed(status, now - sentNs[head]);
                head = head + 1 == sentNs.length ? 0 : head + 1;
                inFlight--;
                boolean keepAlive = parser.keepAlive();
                parser.reset(HttpMethod.GET);
                if (!keepAlive) {
                    data.position(data.limit());
                    closingOnPurpose = true;
                    c.close(); // the server ends the connection after this response: replace it
                    return;
                }
                send(c, now);
            }
        } catch (HttpParseException e) {
            run.error(HttpBench.ErrorKind.PARSE);
            closingOnPurpose = true;
            c.abort();
        }
    }

    @Override
    public boolean onTimeout(Connection c, TimeoutKind kind) {
        if (inFlight == 0) {
            return false;
        }
        run.error(HttpBench.ErrorKind.TIMEOUT);
        closingOnPurpose = true;
        return true;
    }

    @Override
    public void onClose(Connection c, CloseReason reason, Throwable cause) {
        run.closed(this, reason, opened, closingOnPurpose);
    }

    // ------------------------------------------------------------------ ResponseListener

    @Override
    public void onStatus(int statusCode, String reasonPhrase) {
        status = statusCode;
    }

    @Override
    public void onHeader(String name, String value) {
    }

    @Override
    public void onHeadersComplete() {
    }

    @Override
    public void onBody(ByteBuffer chunk) {
    }

    @Override
    public void onTrailer(String name, String value) {
    }

    @Override
    public void onComplete() {
    }
}
