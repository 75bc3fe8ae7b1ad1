package dev.sluice.samples.http;

import java.io.IOException;

/**
 * Thread: any; instances are immutable.
 *
 * <p>A response that cannot be framed or parsed. Every kind means the connection's byte stream can
 * no longer be trusted: the caller closes the connection and discards what it received of this
 * response (RFC 9112 §6.3 rule 5 requires exactly that for bad framing).
 */
public final class HttpParseException extends IOException {

    /** Thread: any. What was wrong, for callers that react differently (for example, retry on {@link #NO_RESPONSE}). */
    public enum Kind {
        /** The status line is not {@code HTTP/1.x NNN [reason]} (RFC 9112 §4). */
        BAD_STATUS_LINE,
        /** A field line is malformed: no colon, bad name, control character, bare CR (RFC 9112 §5). */
        BAD_HEADER,
        /** The header or trailer section is longer than the configured byte limit. */
        HEADERS_TOO_LARGE,
        /** The header or trailer section has more field lines than the configured limit. */
        TOO_MANY_HEADERS,
        /** Content-Length is not a decimal number, overflows, conflicts, or comes with Transfer-Encoding. */
        BAD_CONTENT_LENGTH,
        /** Transfer-Encoding is not exactly {@code chunked}, or arrived in an HTTP/1.0 response. */
        BAD_TRANSFER_ENCODING,
        /** A chunk-size line or the CRLF after chunk data is malformed (RFC 9112 §7.1). */
        BAD_CHUNK,
        /** The connection closed after part of a response and before its end. */
        PREMATURE_EOF,
        /**
         * The connection closed before a single byte of the response. On a reused keep-alive
         * connection this usually means the server closed it while idle; an idempotent request may
         * then be retried on a new connection (RFC 9112 §9.3.1).
         */
        NO_RESPONSE
    }

    /** What was wrong; part of the serial form, as every field of an exception is. */
    private final Kind kind;

    HttpParseException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /**
     * Thread: any.
     *
     * @return what was wrong with the response
     */
    public Kind kind() {
        return kind;
    }
}
