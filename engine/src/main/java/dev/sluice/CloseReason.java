package dev.sluice;

/**
 * Why a connection closed. Every close carries exactly one reason, decided by the first event that
 * started the close; later events do not overwrite it (an I/O error that ends a graceful close early
 * is the cause, not the reason). The one exception is {@link #CLOSE_TIMEOUT}, which replaces the
 * reason of a graceful close that could not finish, because output was then lost.
 *
 * <p>Thread: any (immutable).
 */
public enum CloseReason {
    /** The peer closed its side (FIN) and the connection then closed in an orderly way. */
    PEER_CLOSED,
    /** The peer reset the connection (RST: "Connection reset by peer", "Broken pipe"). */
    PEER_RESET,
    /** An outbound connect failed (refused, unreachable, resolution failure). */
    CONNECT_FAILED,
    /** An outbound connect did not complete within its timeout. */
    CONNECT_TIMEOUT,
    /** Nothing was read for the read-idle timeout. */
    IDLE_TIMEOUT,
    /** Pending output made no progress for the write-stall timeout. */
    WRITE_TIMEOUT,
    /** The absolute deadline set with {@link Connection#setDeadline(long)} passed. */
    DEADLINE_EXCEEDED,
    /** A write would have taken pending output over {@link ConnectionConfig#maxPendingOutputBytes()}. */
    OUTPUT_OVERFLOW,
    /** Unconsumed input exceeded {@link ConnectionConfig#maxInputBufferBytes()}. */
    INPUT_OVERFLOW,
    /** A handler callback threw; the exception is the close cause. */
    HANDLER_ERROR,
    /** Any other I/O error; the exception is the close cause. */
    IO_ERROR,
    /** The local side closed it ({@link Connection#close()} or {@link Connection#abort()}). */
    LOCAL,
    /** The loop was shut down or closed while the connection was open. */
    SHUTDOWN,
    /** A listener refused the connection because it was at its maximum connection count. */
    REJECTED,
    /**
     * A graceful close could not flush its pending output within
     * {@link ConnectionConfig#closeTimeoutNs()} (the peer stopped reading): the connection was reset and
     * the output that never left was discarded. The cause says how many bytes.
     */
    CLOSE_TIMEOUT,
    /**
     * The peer left {@link Heartbeat#maxMisses()} heartbeats in a row unanswered: nothing was read from
     * it for that many read-idle periods after the first ping. The connection closed at once (as any
     * timeout does); the cause, a {@link java.net.SocketTimeoutException}, says how many.
     */
    HEARTBEAT_TIMEOUT,
    /**
     * The TLS handshake failed: the peer sent something that is not TLS (garbage instead of a
     * ClientHello), offered nothing acceptable, presented a certificate that was not trusted or did not
     * match the host name, or closed before the handshake finished. The cause is the
     * {@link javax.net.ssl.SSLException}.
     */
    TLS_HANDSHAKE_FAILED,
    /** The TLS handshake did not complete within {@link TlsConfig#handshakeTimeoutNs()}. */
    TLS_HANDSHAKE_TIMEOUT,
    /**
     * A TLS error after the handshake: a record that failed to decrypt or verify, an alert from the
     * peer, or a renegotiation attempt (refused). The cause is the {@link javax.net.ssl.SSLException}.
     */
    TLS_ERROR,
    /**
     * The peer ended the TCP stream (FIN) without sending TLS {@code close_notify} first: the input may
     * have been cut short, so the connection is closed instead of reporting an orderly end of input.
     */
    TLS_TRUNCATED
}
