package dev.sluice;

import dev.sluice.internal.Closes;

import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * Protocol heartbeats for one connection, on its read-idle timeout: after every
 * {@link ConnectionConfig#readIdleTimeoutNs()} with nothing read, send a ping the protocol defines;
 * after {@code maxMisses} pings in a row with nothing read in between, close the connection with
 * {@link CloseReason#HEARTBEAT_TIMEOUT}.
 *
 * <p>It adds no timer: the connection's read-idle deadline is the clock, every read restarts it (so a
 * peer that talks is never pinged), and {@link ConnectionHandler#onTimeout} returning {@code false}
 * starts a fresh period after each ping. With an idle timeout of N and {@code maxMisses} M, a peer
 * that goes silent at t is pinged at t + N, t + 2N, ... t + MN and closed at t + (M + 1)N: M × N after
 * the first unanswered ping, never one nanosecond earlier. Anything read counts as the answer; the
 * protocol's pong is just the smallest thing a healthy peer can send.
 *
 * <pre>{@code
 * ConnectionConfig cc = ConnectionConfig.defaults().withReadIdleTimeout(Duration.ofSeconds(10));
 *
 * final class Session implements ConnectionHandler {
 *     private final Heartbeat heartbeat = new Heartbeat(PING, 3);   // PING: e.g. "/ping\n"
 *
 *     public void onData(Connection c, ByteBuffer data) {
 *         heartbeat.received();
 *         ...
 *     }
 *
 *     public boolean onTimeout(Connection c, TimeoutKind kind) {
 *         return heartbeat.onTimeout(c, kind);
 *     }
 * }
 * }</pre>
 *
 * <p><b>No allocation per beat.</b> The ping is written with {@link Connection#write} from one view of
 * the caller's bytes made by the constructor, rewound for each beat. A ping the peer has not taken yet
 * (its receive window is closed: a peer that stopped reading) is not queued again; the miss is counted
 * all the same, and the connection's output does not grow while the peer is gone.
 *
 * <p>Why it is in the engine and not in the samples: the close reason it produces is the engine's
 * ({@link CloseReason#HEARTBEAT_TIMEOUT}, counted in {@link LoopStats#closes}), and it needs nothing a
 * protocol owns beyond the ping's bytes, like the framers in {@code dev.sluice.codec}.
 *
 * <p>Thread: event loop only (the connection's): one instance per connection, used from its handler's
 * callbacks. The ping's bytes may be shared by any number of instances and loops; they must not change.
 */
public final class Heartbeat {
    private final ByteBuffer ping;
    private final int maxMisses;
    private int unanswered;
    private long sent;

    /**
     * Thread: any; the instance is then used on one connection's loop thread.
     *
     * @param ping      the ping's bytes, from position to limit; not copied, not moved, never written to
     * @param maxMisses pings in a row without an answer after which the connection closes, at least 1
     * @throws IllegalArgumentException when the ping is empty or {@code maxMisses} is below 1
     */
    public Heartbeat(ByteBuffer ping, int maxMisses) {
        if (ping == null || !ping.hasRemaining()) {
            throw new IllegalArgumentException("a heartbeat needs a ping of at least one byte");
        }
        if (maxMisses < 1) {
            throw new IllegalArgumentException("maxMisses must be >= 1: " + maxMisses);
        }
        this.ping = ping.slice().asReadOnlyBuffer();
        this.ping.position(this.ping.limit()); // "fully written": nothing of ours is queued yet
        this.maxMisses = maxMisses;
    }

    /**
     * Thread: event loop only.
     * The peer sent something: it is alive, and no ping is outstanding. Call it from
     * {@link ConnectionHandler#onData} for every delivery (it is one store).
     */
    public void received() {
        unanswered = 0;
    }

    /**
     * Thread: event loop only; throws {@link IllegalStateException} on any other thread.
     * What {@link ConnectionHandler#onTimeout} returns, for a handler that has no other use for
     * timeouts. On {@link TimeoutKind#READ_IDLE}: pings and keeps the connection, or, when
     * {@code maxMisses} pings are unanswered, closes it with {@link CloseReason#HEARTBEAT_TIMEOUT}.
     * Every other kind closes as usual ({@code true}). A connection that is already closing is left to
     * its close.
     *
     * @param c    the connection whose timeout fired
     * @param kind which timeout
     * @return whether the engine should close the connection with {@link TimeoutKind#closeReason()}
     */
    public boolean onTimeout(Connection c, TimeoutKind kind) {
        if (kind != TimeoutKind.READ_IDLE) {
            return true;
        }
        if (!c.isOpen()) {
            return false;
        }
        if (unanswered >= maxMisses) {
            SocketTimeoutException why = new SocketTimeoutException(unanswered + " heartbeats in a row unanswered");
            // Only an engine connection can close with the engine's reason; any other closes as idle.
            return !Closes.closeNow(c, CloseReason.HEARTBEAT_TIMEOUT, why);
        }
        unanswered++;
        if (!ping.hasRemaining()) { // the last ping left (or none was sent): queue it again
            ping.rewind();
            if (c.write(ping)) {
                sent++;
            } else {
                ping.position(ping.limit());
            }
        }
        return false;
    }

    /**
     * Thread: event loop only.
     *
     * @return pings sent since the peer last sent something (0 after {@link #received()})
     */
    public int unanswered() {
        return unanswered;
    }

    /**
     * Thread: event loop only.
     *
     * @return pings queued over the connection's life (a ping not queued again, because the last one
     *         had not left, is not counted)
     */
    public long pingsSent() {
        return sent;
    }

    /**
     * Thread: any.
     *
     * @return pings in a row without an answer after which the connection closes
     */
    public int maxMisses() {
        return maxMisses;
    }
}
