package dev.sluice.samples.load;

import dev.sluice.CloseReason;

/**
 * What went wrong on a load connection. Each is counted and reported; none is ignored.
 *
 * <p>Thread: any (immutable).
 */
public enum ErrorKind {
    /** The connect failed (refused, unreachable). */
    CONNECT_FAILED,
    /** The connect did not complete in time. */
    CONNECT_TIMEOUT,
    /**
     * The TLS handshake failed: the certificate was not trusted or did not name the host, or the server
     * does not speak TLS (a plain echo server sends the ClientHello back).
     */
    TLS_HANDSHAKE_FAILED,
    /** The TLS handshake did not complete within the connect timeout. */
    TLS_HANDSHAKE_TIMEOUT,
    /** A TLS error after the handshake: a bad record, an alert, or the stream cut without close_notify. */
    TLS_ERROR,
    /** The server closed the connection before the run ended. */
    CLOSED_BY_SERVER,
    /** The server reset the connection. */
    RESET,
    /** Any other close before the run ended (I/O error, overflow, timeout). */
    CLOSED,
    /** An echoed byte differed from the byte sent at that position. */
    WRONG_BYTE,
    /** Bytes arrived when no message was in flight. */
    UNEXPECTED_BYTES,
    /** Messages still unanswered when the drain after the run timed out. */
    NOT_ECHOED;

    /**
     * The kind for a connection that closed before the run ended.
     *
     * <p>Thread: any.
     *
     * @param reason why it closed
     * @param opened whether it had connected
     * @return the error kind
     */
    static ErrorKind of(CloseReason reason, boolean opened) {
        switch (reason) {
            case CONNECT_FAILED:
                return CONNECT_FAILED;
            case CONNECT_TIMEOUT:
                return CONNECT_TIMEOUT;
            case TLS_HANDSHAKE_FAILED:
                return TLS_HANDSHAKE_FAILED;
            case TLS_HANDSHAKE_TIMEOUT:
                return TLS_HANDSHAKE_TIMEOUT;
            case TLS_ERROR:
            case TLS_TRUNCATED:
                return opened ? TLS_ERROR : TLS_HANDSHAKE_FAILED;
            case PEER_CLOSED:
                return CLOSED_BY_SERVER;
            case PEER_RESET:
                return opened ? RESET : CONNECT_FAILED;
            default:
                return opened ? CLOSED : CONNECT_FAILED;
        }
    }
}
