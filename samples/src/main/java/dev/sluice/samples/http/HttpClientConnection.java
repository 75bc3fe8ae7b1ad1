package dev.sluice.samples.http;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;
import dev.sluice.TimeoutKind;
import dev.sluice.samples.http.FetchResult.Failure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Thread: the client's loop thread only (a {@link ConnectionHandler} and {@link ResponseListener}).
 *
 * <p>One client connection to one host and port: it carries one exchange at a time (no pipelining,
 * so a failure is never ambiguous about which request it hit), and between exchanges waits in its
 * host's pool. Timeouts use the engine's deadlines: the connect timeout in the connection's
 * configuration, and one absolute deadline per request, at the earlier of "first byte due" and "whole
 * fetch due" until the first byte arrives, then at "whole fetch due".
 */
final class HttpClientConnection implements ConnectionHandler, ResponseListener {

    private final FetchClient client;
    final FetchClient.HostPool pool;
    private final HttpResponseParser parser = new HttpResponseParser(this);
    private final List<ResponseHead.Field> fields = new ArrayList<>();

    Connection connection;
    /** Which of the pool's addresses this connection was opened to. */
    int addressIndex;
    private Exchange exchange;
    private boolean opened;
    private boolean gotFirstByte;
    private boolean complete;
    private String reason;

    HttpClientConnection(FetchClient client, FetchClient.HostPool pool, Exchange first) {
        this.client = client;
        this.pool = pool;
        this.exchange = first;
    }

    boolean isIdle() {
        return opened && exchange == null;
    }

    /** Sends the exchange's request; the connection is open and idle. */
    void send(Exchange ex) {
        exchange = ex;
        gotFirstByte = false;
        complete = false;
        fields.clear();
        parser.reset(HttpMethod.GET);
        connection.setReadIdleTimeoutNs(0); // the pool's idle limit does not apply while busy
        connection.write(HttpRequestWriter.get(ex.url, true));
        long now = connection.loop().nowNs();
        long firstByteDue = client.options().firstByteTimeoutNs() > 0 ? now + client.options().firstByteTimeoutNs() : 0;
        armDeadline(ex, client.options().firstByteTimeoutNs() > 0, firstByteDue);
    }

    private void armDeadline(Exchange ex, boolean hasOther, long otherNs) {
        if (ex.hasTotalDeadline && hasOther) {
            connection.setDeadline(ex.totalDeadlineNs - otherNs < 0 ? ex.totalDeadlineNs : otherNs);
        } else if (ex.hasTotalDeadline) {
            connection.setDeadline(ex.totalDeadlineNs);
        } else if (hasOther) {
            connection.setDeadline(otherNs);
        } else {
            connection.clearDeadline();
        }
    }

    @Override
    public void onOpen(Connection c) {
        opened = true;
        client.connected(this);
        Exchange ex = exchange;
        if (ex == null || ex.done) {
            exchange = null;
            client.release(this); // its fetch ended while it connected: keep it for the next one
            return;
        }
        ex.connectedNs = FetchClient.stamp();
        send(ex);
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        Exchange ex = exchange;
        if (ex == null) {
            data.position(data.limit()); // bytes nobody asked for: this connection cannot be trusted again
            c.close();
            return;
        }
        if (!gotFirstByte) {
            gotFirstByte = true;
            ex.firstByteNs = FetchClient.stamp();
            armDeadline(ex, false, 0);
        }
        try {
            if (parser.parse(data) == HttpResponseParser.Result.COMPLETE) {
                boolean reusable = parser.keepAlive() && !data.hasRemaining();
                data.position(data.limit());
                finishResponse(c, reusable);
            }
        } catch (HttpParseException e) {
            fail(c, new Failure(Failure.Kind.PROTOCOL, "bad response (" + e.kind() + "): " + e.getMessage()));
        } catch (UncheckedIOException e) {
            fail(c, new Failure(Failure.Kind.OUTPUT, "cannot write the body: " + e.getCause().getMessage()));
        }
    }

    @Override
    public void onInputClosed(Connection c) {
        Exchange ex = exchange;
        if (ex == null) {
            c.close(); // the server closed an idle pooled connection
            return;
        }
        try {
            parser.finish(); // completes a body delimited by the close (RFC 9112 §6.3 rule 8)
            if (complete) {
                finishResponse(c, false);
                return;
            }
        } catch (HttpParseException e) {
            if (e.kind() == HttpParseException.Kind.NO_RESPONSE && retryable(ex)) {
                exchange = null;
                c.close();
                client.retry(ex);
                return;
            }
            fail(c, new Failure(Failure.Kind.CONNECTION, "connection closed by the server: " + e.getMessage()));
            return;
        } catch (UncheckedIOException e) {
            fail(c, new Failure(Failure.Kind.OUTPUT, "cannot write the body: " + e.getCause().getMessage()));
            return;
        }
        c.close();
    }

    @Override
    public boolean onTimeout(Connection c, TimeoutKind kind) {
        Exchange ex = exchange;
        if (ex == null) {
            return true; // idle in the pool for too long
        }
        exchange = null;
        long now = c.loop().nowNs();
        if (ex.hasTotalDeadline && ex.totalDeadlineNs - now <= 0) {
            client.finish(ex, client.totalTimeout());
        } else {
            client.finish(ex, new Failure(Failure.Kind.FIRST_BYTE_TIMEOUT, "no response within "
                    + FetchClient.millis(client.options().firstByteTimeoutNs()) + " of sending the request"));
        }
        return true;
    }

    @Override
    public void onClose(Connection c, CloseReason closeReason, Throwable cause) {
        client.closed(this);
        Exchange ex = exchange;
        exchange = null;
        if (ex == null) {
            return;
        }
        if (!opened) {
            client.connectFailed(ex, this, closeReason, cause);
        } else if ((closeReason == CloseReason.PEER_RESET || closeReason == CloseReason.PEER_CLOSED) && retryable(ex)) {
            client.retry(ex);
        } else {
            client.finish(ex, FetchClient.closedFailure(closeReason, cause));
        }
    }

    /** A reused connection that failed before any response byte: the server likely closed it while idle. */
    private boolean retryable(Exchange ex) {
        return ex.reused && !gotFirstByte && !ex.retried;
    }

    private void finishResponse(Connection c, boolean reusable) {
        Exchange ex = exchange;
        exchange = null;
        c.clearDeadline();
        if (reusable && !client.isClosing()) {
            client.release(this);
        } else {
            c.close();
        }
        client.hopDone(ex);
    }

    private void fail(Connection c, Failure failure) {
        Exchange ex = exchange;
        exchange = null;
        c.abort(); // the stream is out of step with the requests: it cannot carry another one
        client.finish(ex, failure);
    }

    // ------------------------------------------------------------------ ResponseListener

    @Override
    public void onStatus(int statusCode, String reasonPhrase) {
        exchange.status = statusCode;
        reason = reasonPhrase;
    }

    @Override
    public void onHeader(String name, String value) {
        fields.add(new ResponseHead.Field(name, value));
    }

    @Override
    public void onHeadersComplete() {
        Exchange ex = exchange;
        ResponseHead head = new ResponseHead(parser.httpVersion(), ex.status, reason, fields);
        String location = head.field("Location");
        ex.redirecting = client.options().followRedirects() && isRedirect(ex.status) && location != null;
        ex.location = location;
        ex.listener.onResponseHead(ex.url, head, ex.redirecting);
    }

    @Override
    public void onBody(ByteBuffer chunk) {
        Exchange ex = exchange;
        if (ex.redirecting) {
            return;
        }
        ex.bodyBytes += chunk.remaining();
        try {
            ex.listener.onBody(chunk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onTrailer(String name, String value) {
    }

    @Override
    public void onComplete() {
        complete = true;
    }

    /** RFC 9110 §15.4: the redirections that carry a Location to follow (300 and 304 do not). */
    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
