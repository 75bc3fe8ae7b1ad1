package dev.sluice.samples.http;

import java.nio.ByteBuffer;

/**
 * Thread: called only on the thread that calls {@link HttpResponseParser#parse} or
 * {@link HttpResponseParser#finish}, from inside those calls.
 *
 * <p>Receives one response at a time, in this order:
 * {@code onStatus, onHeader*, onHeadersComplete, onBody*, onTrailer*, onComplete}. Interim 1xx
 * responses are consumed by the parser and never reported. The head ({@code onStatus} to
 * {@code onHeadersComplete}) is delivered in one go, only once the whole header section has been
 * received and its framing validated, so a listener never sees the head of a response that the
 * parser then rejects for its header section. Body and trailer problems can still end a response
 * with an exception after its head was delivered.
 *
 * <p>If a listener method throws, the exception propagates out of {@code parse} or {@code finish}
 * and the parser must be {@link HttpResponseParser#reset reset} before further use.
 */
public interface ResponseListener {

    /**
     * Thread: parser caller. The final (non-1xx) status line.
     *
     * @param statusCode three-digit status code, 200..599
     * @param reasonPhrase the reason phrase, possibly empty (RFC 9112 §4: clients should ignore it)
     */
    void onStatus(int statusCode, String reasonPhrase);

    /**
     * Thread: parser caller. One header field, after combining: several field lines with the same
     * name (case-insensitive) arrive once, with their values joined by {@code ", "} in order
     * (RFC 9110 §5.3), except {@code Set-Cookie}, which arrives once per field line. Fields keep the
     * order of their first line and the name spelling of their first line. Values have leading and
     * trailing whitespace removed and obsolete line folding replaced by a space (RFC 9112 §5.2).
     *
     * @param name the field name as received
     * @param value the field value, bytes mapped one to one to chars (ISO-8859-1)
     */
    void onHeader(String name, String value);

    /** Thread: parser caller. The header section is complete; body events follow. */
    void onHeadersComplete();

    /**
     * Thread: parser caller. Body bytes as they arrive, with chunked framing already removed.
     *
     * <p>{@code chunk} is the caller's own input buffer with its position and limit narrowed to the
     * body bytes, so no copy and no allocation is made. The listener may read it (moving its position)
     * but must not write to it or keep it after returning; the parser restores the limit and moves the
     * position past the body bytes afterwards. Never called with an empty chunk.
     *
     * @param chunk the body bytes from position to limit
     */
    void onBody(ByteBuffer chunk);

    /**
     * Thread: parser caller. One trailer field of a chunked body (RFC 9112 §7.1.2), combined the same
     * way as {@link #onHeader}. Trailer fields are reported separately from header fields, as
     * RFC 9110 §6.5.1 asks.
     *
     * @param name the field name as received
     * @param value the field value
     */
    void onTrailer(String name, String value);

    /** Thread: parser caller. The response is complete; no further events until the parser is reset. */
    void onComplete();
}
