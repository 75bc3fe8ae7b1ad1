package dev.sluice.internal;

import dev.sluice.CloseReason;

import javax.net.ssl.SSLException;

/**
 * A TLS failure that knows which {@link CloseReason} it closes the connection with: a failed or
 * stalled handshake, a bad record, a refused renegotiation, a truncated stream. {@link IoErrors} reads
 * the reason; the exception is the close cause handed to {@code onClose}. It is an expected outcome of
 * bad input, not an engine error: it is never reported to the loop's error handler.
 *
 * <p>Thread: any (immutable).
 */
final class TlsException extends SSLException {
    private static final long serialVersionUID = 1L;

    final transient CloseReason reason;

    TlsException(CloseReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }
}
