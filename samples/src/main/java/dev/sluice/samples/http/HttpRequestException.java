package dev.sluice.samples.http;

import java.io.IOException;

/**
 * Thread: any; instances are immutable.
 *
 * <p>A request the server cannot accept. Each kind carries the status code to answer with; after
 * any of them the request stream can no longer be framed, so the server answers once and closes
 * the connection (RFC 9112 §6.3 rule 6 asks for exactly that when a request's framing is bad).
 */
public final class HttpRequestException extends IOException {

    /** Thread: any. What was wrong, with the status code that says so. */
    public enum Kind {
        /** The request line is not {@code method SP request-target SP HTTP/x.y} (RFC 9112 §3). */
        BAD_REQUEST_LINE(400),
        /** A field line is malformed: no colon, bad name, control character, obs-fold (RFC 9112 §5). */
        BAD_HEADER(400),
        /** An HTTP/1.1 request without exactly one Host field (RFC 9112 §3.2). */
        BAD_HOST(400),
        /** Content-Length is not a decimal number, overflows, conflicts, or comes with Transfer-Encoding. */
        BAD_CONTENT_LENGTH(400),
        /** A chunk-size line or the CRLF after chunk data is malformed (RFC 9112 §7.1). */
        BAD_CHUNK(400),
        /** The request line alone is longer than the head limit (RFC 9110 §15.5.15). */
        URI_TOO_LONG(414),
        /** The head (request line and fields) is longer than the configured limit (RFC 6585 §5). */
        HEADERS_TOO_LARGE(431),
        /** The head has more field lines than the configured limit (RFC 6585 §5). */
        TOO_MANY_HEADERS(431),
        /** The body is longer than the configured limit (RFC 9110 §15.5.14). */
        BODY_TOO_LARGE(413),
        /** A transfer coding other than {@code chunked} (RFC 9112 §6.1: answer 501). */
        UNSUPPORTED_TRANSFER_ENCODING(501),
        /** A major version other than 1 (RFC 9110 §15.6.6). */
        VERSION_NOT_SUPPORTED(505);

        private final int statusCode;

        Kind(int statusCode) {
            this.statusCode = statusCode;
        }

        /**
         * Thread: any.
         *
         * @return the status code the server answers with
         */
        public int statusCode() {
            return statusCode;
        }
    }

    /** What was wrong; part of the serial form, as every field of an exception is. */
    private final Kind kind;

    HttpRequestException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /**
     * Thread: any.
     *
     * @return what was wrong with the request
     */
    public Kind kind() {
        return kind;
    }
}
