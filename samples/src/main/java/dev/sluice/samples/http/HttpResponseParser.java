package dev.sluice.samples.http;

import dev.sluice.samples.http.HttpParseException.Kind;
import dev.sluice.samples.http.LineReader.LineType;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Thread: any; instances are not thread-safe (one parser per connection, used only by the thread
 * that reads that connection).
 *
 * <p>An incremental HTTP/1.1 response parser with no I/O of its own. Feed it bytes with
 * {@link #parse} as they arrive, in pieces of any size; it reports the response to a
 * {@link ResponseListener}. Tell it about end of stream with {@link #finish}. On a keep-alive
 * connection, {@link #reset} it for the next response; its buffers are kept, not reallocated.
 *
 * <p>Memory is bounded: the parser keeps the status or field line it is reading and the fields of
 * the current header or trailer section, each within {@code maxHeaderBytes}; chunk-size lines are
 * parsed without being stored. Body bytes are handed to the listener as they arrive, in the caller's
 * own buffer, and never copied or accumulated; the body path allocates nothing.
 *
 * <p>Choices where RFC 9112 leaves one:
 * <ul>
 *   <li>Obsolete line folding is unfolded, each fold becoming one space: RFC 9112 §5.2 requires a user
 *       agent to do exactly that. Folding before the first field line is rejected (§2.2).</li>
 *   <li>A response with both Transfer-Encoding and Content-Length is rejected with
 *       {@link Kind#BAD_CONTENT_LENGTH}: §6.2 forbids sending both and §6.3 rule 3 says such a message
 *       "ought to be handled as an error" because it is the shape of response splitting.</li>
 *   <li>Transfer-Encoding must be exactly {@code chunked}: we never send {@code TE}, so other codings
 *       are not expected (RFC 9110 §10.1.4), and an HTTP/1.0 response with it has faulty framing (§6.1).</li>
 *   <li>A bare LF ends a line as CRLF does (§2.2 allows it); a bare CR is an error (§2.2).</li>
 *   <li>{@code HTTP/1.1 200} with no space before the missing reason phrase is accepted; an empty line
 *       before the status line is not (the §2.2 leniency is for servers reading requests).</li>
 *   <li>Content-Length repeated with identical values ({@code 42, 42}) is accepted as one value, as
 *       RFC 9110 §8.6 allows; differing values are an error.</li>
 *   <li>Interim 1xx responses are skipped (RFC 9110 §15.2), except 101, which is an error because we
 *       never ask for an upgrade.</li>
 * </ul>
 *
 * <p>A malformed response ends the call with an {@link HttpParseException}, as soon as the bytes seen
 * prove it malformed: a forbidden byte at once, a malformed line at its end, and any line or section
 * at most at its size limit. The parser is then unusable until {@link #reset}.
 */
public final class HttpResponseParser {

    /** Thread: any. Default limit on field lines in the header (or trailer) section. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;
    /** Thread: any. Default limit on the bytes of the status line plus header section, line ends included. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
    /** Thread: any. What a call to {@link #parse} achieved. */
    public enum Result {
        /** The response is not complete; every byte offered was consumed. */
        NEED_MORE,
        /** The response is complete; bytes after it (a pipelined response) are left in the buffer. */
        COMPLETE
    }

    private enum State {
        STATUS_LINE, HEADER_LINE, FIXED_BODY, CLOSE_DELIMITED_BODY,
        CHUNK_SIZE_LINE, CHUNK_DATA, CHUNK_DATA_END, TRAILER_LINE, COMPLETE, FAILED
    }

    private final ResponseListener listener;
    private final int maxHeaderCount;
    private final int maxHeaderBytes;
    private final FieldSection fields = new FieldSection();
    private final LineReader lines;

    private HttpMethod requestMethod;
    private State state;
    private boolean started;
    private boolean headDone;
    private boolean http10;
    private boolean keepAlive;
    private int statusCode;
    private String reason;
    private long contentLength;
    private long remaining;
    private int fieldCount;
    private boolean chunkDataCr;

    /**
     * Thread: any. A parser with the default limits, expecting the response to a GET.
     *
     * @param listener receives the responses
     */
    public HttpResponseParser(ResponseListener listener) {
        this(listener, DEFAULT_MAX_HEADER_COUNT, DEFAULT_MAX_HEADER_BYTES);
    }

    /**
     * Thread: any. A parser expecting the response to a GET.
     *
     * @param listener receives the responses
     * @param maxHeaderCount most field lines allowed in the header section, and again in the trailers
     * @param maxHeaderBytes most bytes allowed for the status line and header section together (line
     *     ends included), and again for the trailer section
     */
    public HttpResponseParser(ResponseListener listener, int maxHeaderCount, int maxHeaderBytes) {
        if (maxHeaderCount < 0 || maxHeaderBytes < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxHeaderCount + ", " + maxHeaderBytes);
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        this.maxHeaderCount = maxHeaderCount;
        this.maxHeaderBytes = maxHeaderBytes;
        this.lines = new LineReader(maxHeaderBytes);
        reset(HttpMethod.GET);
    }

    /**
     * Thread: the parser's thread. Prepares for the next response on the same connection, forgetting
     * the current one (complete, failed or partial). Keeps the buffers.
     *
     * @param requestMethod the method of the request this response answers; HEAD means no body
     */
    public void reset(HttpMethod requestMethod) {
        this.requestMethod = Objects.requireNonNull(requestMethod, "requestMethod");
        state = State.STATUS_LINE;
        started = false;
        headDone = false;
        http10 = false;
        keepAlive = false;
        statusCode = 0;
        reason = null;
        contentLength = 0;
        remaining = 0;
        chunkDataCr = false;
        beginSection("header");
        lines.startLine();
    }

    /**
     * Thread: the parser's thread. Consumes bytes from {@code in}'s position up to the end of the
     * current response (or of {@code in}), calling the listener as parts of the response complete.
     *
     * @param in the received bytes; its position advances past what was consumed
     * @return {@link Result#COMPLETE} once the response is complete (every call after that too, until
     *     {@link #reset}), else {@link Result#NEED_MORE} having consumed all of {@code in}
     * @throws HttpParseException if the bytes cannot be the start of a valid response
     * @throws IllegalStateException if an earlier call failed and the parser was not reset
     */
    public Result parse(ByteBuffer in) throws HttpParseException {
        checkUsable();
        try {
            while (true) {
                switch (state) {
                    case STATUS_LINE:
                        started |= in.hasRemaining();
                        if (!lines.read(in, LineType.STATUS)) {
                            return Result.NEED_MORE;
                        }
                        onStatusLine();
                        break;
                    case HEADER_LINE:
                    case TRAILER_LINE:
                        if (!lines.read(in, LineType.FIELD)) {
                            return Result.NEED_MORE;
                        }
                        onFieldLine();
                        break;
                    case CHUNK_SIZE_LINE:
                        if (!lines.read(in, LineType.CHUNK_SIZE)) {
                            return Result.NEED_MORE;
                        }
                        onChunkSizeLine();
                        break;
                    case FIXED_BODY:
                    case CHUNK_DATA:
                        if (!in.hasRemaining()) {
                            return Result.NEED_MORE;
                        }
                        readCountedBody(in);
                        break;
                    case CHUNK_DATA_END:
                        if (!in.hasRemaining()) {
                            return Result.NEED_MORE;
                        }
                        readChunkDataEnd(in.get());
                        break;
                    case CLOSE_DELIMITED_BODY:
                        if (in.hasRemaining()) {
                            deliverBody(in, in.remaining());
                        }
                        return Result.NEED_MORE;
                    case COMPLETE:
                        return Result.COMPLETE;
                    default:
                        throw new IllegalStateException("unexpected state " + state);
                }
            }
        } catch (HttpParseException e) {
            state = State.FAILED;
            throw e;
        }
    }

    /**
     * Thread: the parser's thread. Reports end of stream: the peer closed the connection (or its output
     * side). A close-delimited body (RFC 9112 §6.3 rule 8) completes here; anything else unfinished is
     * an error. Does nothing if the response is already complete.
     *
     * @throws HttpParseException {@link Kind#NO_RESPONSE} if not a byte of the response arrived,
     *     {@link Kind#PREMATURE_EOF} if part of it did
     * @throws IllegalStateException if an earlier call failed and the parser was not reset
     */
    public void finish() throws HttpParseException {
        checkUsable();
        switch (state) {
            case COMPLETE:
                return;
            case CLOSE_DELIMITED_BODY:
                complete();
                return;
            case STATUS_LINE:
            case HEADER_LINE:
                throw fail(started ? Kind.PREMATURE_EOF : Kind.NO_RESPONSE, started
                        ? "connection closed before the response head was complete"
                        : "connection closed before any byte of the response arrived");
            case FIXED_BODY:
                throw fail(Kind.PREMATURE_EOF, "connection closed before body complete: received "
                        + (contentLength - remaining) + " of " + contentLength + " bytes");
            default:
                throw fail(Kind.PREMATURE_EOF, "connection closed before body complete (inside the chunked body)");
        }
    }

    /**
     * Thread: the parser's thread. Whether the connection may carry another request after this
     * response (RFC 9112 §9.3): HTTP/1.1 unless {@code Connection: close}, HTTP/1.0 only with
     * {@code Connection: keep-alive}, and never after a close-delimited body. The caller still closes
     * if its own request said {@code Connection: close}.
     *
     * @return true if the connection can be reused once the response is complete
     * @throws IllegalStateException before the response head has been delivered
     */
    public boolean keepAlive() {
        if (!headDone) {
            throw new IllegalStateException("keep-alive is known once the response head is complete");
        }
        return keepAlive;
    }

    /**
     * Thread: the parser's thread. The protocol version of the response, for callers that show the
     * status line (an HTTP/1.x response with a minor version above 1 is reported as HTTP/1.1, the
     * version this parser treats it as).
     *
     * @return {@code "HTTP/1.0"} or {@code "HTTP/1.1"}
     * @throws IllegalStateException before the response head has been delivered
     */
    public String httpVersion() {
        if (!headDone) {
            throw new IllegalStateException("the version is known once the response head is complete");
        }
        return http10 ? "HTTP/1.0" : "HTTP/1.1";
    }

    /** For tests: bytes held by the parser's internal line buffer (its capacity). */
    int retainedBytes() {
        return lines.capacity();
    }

    /** For tests: characters held in the field strings of the current section. */
    int retainedFieldChars() {
        int chars = 0;
        for (int i = 0; i < fields.size(); i++) {
            chars += fields.name(i).length() + fields.value(i).length();
        }
        return chars;
    }

    private void checkUsable() {
        if (state == State.FAILED) {
            throw new IllegalStateException("the parser failed on a malformed response; reset() it before reuse");
        }
    }

    /** RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]. */
    private void onStatusLine() throws HttpParseException {
        int n = lines.length();
        if (n < 12 || !isDigit(5) || lines.at(6) != '.' || !isDigit(7) || lines.at(8) != ' ') {
            throw new HttpParseException(Kind.BAD_STATUS_LINE, "malformed status line: " + lines.excerpt());
        }
        if (lines.at(5) != '1') {
            throw new HttpParseException(Kind.BAD_STATUS_LINE, "unsupported HTTP version: " + lines.excerpt());
        }
        if (!isDigit(9) || !isDigit(10) || !isDigit(11) || (n > 12 && lines.at(12) != ' ')) {
            throw new HttpParseException(Kind.BAD_STATUS_LINE, "status code is not three digits: " + lines.excerpt());
        }
        int code = (lines.at(9) - '0') * 100 + (lines.at(10) - '0') * 10 + (lines.at(11) - '0');
        if (code < 100 || code > 599) {
            // RFC 9110 §15: all valid status codes are within 100..599.
            throw new HttpParseException(Kind.BAD_STATUS_LINE, "status code out of range 100..599: " + lines.excerpt());
        }
        if (code == 101) {
            throw new HttpParseException(Kind.BAD_STATUS_LINE,
                    "101 Switching Protocols, but no upgrade was requested (RFC 9110 §15.2.2)");
        }
        statusCode = code;
        http10 = lines.at(7) == '0';
        reason = code < 200 || n <= 13 ? "" : lines.text(13, n);
        state = State.HEADER_LINE;
        lines.startLine();
    }

    private void onFieldLine() throws HttpParseException {
        if (lines.length() == 0) {
            lines.startLine();
            endOfSection();
            return;
        }
        if (lines.isContinuation()) {
            if (fields.isEmpty()) {
                // RFC 9112 §2.2: whitespace before the first field line; reject rather than guess.
                throw new HttpParseException(Kind.BAD_HEADER,
                        "folded line without a field line before it: " + lines.excerpt());
            }
            fields.unfoldIntoLast(lines.fieldValue());
        } else if (!lines.hasColon()) {
            throw new HttpParseException(Kind.BAD_HEADER, "field line without a colon: " + lines.excerpt());
        } else if (++fieldCount > maxHeaderCount) {
            throw new HttpParseException(Kind.TOO_MANY_HEADERS, "more than " + maxHeaderCount + " field lines");
        } else {
            fields.add(lines.fieldName(), lines.fieldValue());
        }
        lines.startLine();
    }

    private void endOfSection() throws HttpParseException {
        if (state == State.TRAILER_LINE) {
            fields.combine();
            for (int i = 0; i < fields.size(); i++) {
                listener.onTrailer(fields.name(i), fields.value(i));
            }
            complete();
        } else if (statusCode < 200) {
            // RFC 9110 §15.2: a client must parse and ignore interim responses it did not expect.
            state = State.STATUS_LINE;
            beginSection("header");
        } else {
            fields.combine();
            State next = framing();
            listener.onStatus(statusCode, reason);
            for (int i = 0; i < fields.size(); i++) {
                listener.onHeader(fields.name(i), fields.value(i));
            }
            headDone = true;
            listener.onHeadersComplete();
            state = next;
            if (next == State.COMPLETE) {
                complete();
            }
        }
    }

    /** RFC 9112 §6.3: how the body's length is determined, checked before anything is delivered. */
    private State framing() throws HttpParseException {
        String connection = fields.get("Connection");
        keepAlive = http10 ? HttpSyntax.hasToken(connection, "keep-alive") : !HttpSyntax.hasToken(connection, "close");
        if (requestMethod == HttpMethod.HEAD || statusCode == 204 || statusCode == 304) {
            return State.COMPLETE; // rule 1: ends at the empty line whatever the fields say
        }
        String transferEncoding = fields.get("Transfer-Encoding");
        String length = fields.get("Content-Length");
        if (transferEncoding != null) {
            if (http10) {
                throw new HttpParseException(Kind.BAD_TRANSFER_ENCODING,
                        "Transfer-Encoding in an HTTP/1.0 response means faulty framing (RFC 9112 §6.1)");
            }
            if (length != null) {
                throw new HttpParseException(Kind.BAD_CONTENT_LENGTH,
                        "Content-Length together with Transfer-Encoding (RFC 9112 §6.2, §6.3 rule 3)");
            }
            if (!transferEncoding.equalsIgnoreCase("chunked")) {
                throw new HttpParseException(Kind.BAD_TRANSFER_ENCODING,
                        "unsupported Transfer-Encoding '" + transferEncoding + "' (only chunked)");
            }
            return State.CHUNK_SIZE_LINE;
        }
        if (length != null) {
            contentLength = HttpSyntax.parseContentLength(length);
            remaining = contentLength;
            return contentLength == 0 ? State.COMPLETE : State.FIXED_BODY;
        }
        keepAlive = false; // rule 8: the body ends when the server closes the connection
        return State.CLOSE_DELIMITED_BODY;
    }

    private void onChunkSizeLine() throws HttpParseException {
        if (!lines.hasChunkSize()) {
            throw new HttpParseException(Kind.BAD_CHUNK, "empty chunk-size line");
        }
        if (lines.chunkSize() == 0) {
            state = State.TRAILER_LINE; // last-chunk: the trailer section follows (RFC 9112 §7.1.2)
            beginSection("trailer");
        } else {
            remaining = lines.chunkSize();
            state = State.CHUNK_DATA;
        }
        lines.startLine();
    }

    private void readCountedBody(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        deliverBody(in, n);
        remaining -= n;
        if (remaining == 0) {
            if (state == State.FIXED_BODY) {
                complete();
            } else {
                state = State.CHUNK_DATA_END;
            }
        }
    }

    /** The CRLF that must follow chunk-data (RFC 9112 §7.1); a bare LF is accepted as in §2.2. */
    private void readChunkDataEnd(byte b) throws HttpParseException {
        if (b == '\n') {
            chunkDataCr = false;
            state = State.CHUNK_SIZE_LINE;
        } else if (b == '\r' && !chunkDataCr) {
            chunkDataCr = true;
        } else {
            throw new HttpParseException(Kind.BAD_CHUNK, String.format(
                    "chunk data not followed by CRLF (byte 0x%02X); the chunk is longer than its size", b & 0xFF));
        }
    }

    /** Hands {@code length} bytes at {@code in}'s position to the listener in place: no copy, no view object. */
    private void deliverBody(ByteBuffer in, int length) {
        int end = in.position() + length;
        int limit = in.limit();
        in.limit(end);
        try {
            listener.onBody(in);
        } finally {
            in.limit(limit).position(end);
        }
    }

    private void complete() {
        state = State.COMPLETE;
        listener.onComplete();
    }

    private HttpParseException fail(Kind kind, String message) {
        state = State.FAILED;
        return new HttpParseException(kind, message);
    }

    private void beginSection(String name) {
        fields.clear();
        fieldCount = 0;
        lines.beginSection(name);
    }

    private boolean isDigit(int index) {
        byte b = lines.at(index);
        return b >= '0' && b <= '9';
    }
}
