package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.sluice.samples.http.HttpRequestException.Kind;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Thread: any; instances are not thread-safe (one parser per connection, used by its loop thread).
 *
 * <p>An incremental HTTP/1.1 request parser for the server, with no I/O of its own. Feed it bytes
 * with {@link #parse} as they arrive, in pieces of any size; it returns {@code true} once a whole
 * request (head and body) has been consumed and stops right after it, so pipelined requests stay in
 * the buffer for the next call after {@link #reset}. Request bodies are framed (Content-Length or
 * chunked, RFC 9112 §6) and discarded by {@code RequestBody}: the sample server only serves GET and
 * HEAD, but it must still skip a body to find the next request.
 *
 * <p>Allocation-free for well-formed requests: the head is kept in one byte array that grows up to
 * the head limit and is reused, and the fields that matter for framing and persistence (Host,
 * Content-Length, Transfer-Encoding, Connection) are interpreted in place without building strings.
 * {@link #target()} and {@link #methodName()} allocate, for the callers that need text.
 *
 * <p>Choices where RFC 9112 leaves one: empty lines before the request line are skipped (§2.2);
 * a bare LF ends a line (§2.2), a bare CR is an error; obs-fold is rejected with 400 (§5.2);
 * Transfer-Encoding together with Content-Length, or in an HTTP/1.0 request, is rejected (§6.1);
 * an HTTP/1.x request with a minor version above 1 is treated as HTTP/1.1 (RFC 9110 §2.5).
 */
public final class HttpRequestParser {

    /** Thread: any. Default limit on the request line plus field lines, line ends included. */
    public static final int DEFAULT_MAX_HEAD_BYTES = 8 * 1024;
    /** Thread: any. Default limit on the number of field lines. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;
    /** Thread: any. Default limit on the bytes of a request body. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    private static final byte[] HOST = ascii("host");
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] GET = ascii("GET");
    private static final byte[] HEAD = ascii("HEAD");
    private static final byte[] HTTP_SLASH = ascii("HTTP/");


    private enum State { REQUEST_LINE, FIELD_LINE, BODY, COMPLETE, FAILED }

    private final int maxHeadBytes;
    private final int maxHeaderCount;
    private final long maxBodyBytes;
    private final RequestBody body;

    /** The request line at [0, requestLineEnd), then the field line being read at [lineStart, length). */
    private byte[] head = new byte[256];
    private int length;
    private int lineStart;
    private int sectionBytes;
    private boolean sawCr;
    private int colon;

    private State state;
    private int requestLineEnd;
    private int methodEnd;
    private int targetStart;
    private int targetEnd;
    private int minorVersion;
    private int fieldCount;
    private int hostCount;
    private int transferEncodings;
    private boolean chunked;
    private long contentLength;
    private boolean sawClose;
    private boolean sawKeepAlive;

    /** Thread: any. A parser with the default limits. */
    public HttpRequestParser() {
        this(DEFAULT_MAX_HEAD_BYTES, DEFAULT_MAX_HEADER_COUNT, DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * Thread: any.
     *
     * @param maxHeadBytes most bytes for the request line and field lines together, line ends included
     *     (and again for a chunked body's trailer section)
     * @param maxHeaderCount most field lines
     * @param maxBodyBytes most body bytes
     */
    public HttpRequestParser(int maxHeadBytes, int maxHeaderCount, long maxBodyBytes) {
        if (maxHeadBytes < 16 || maxHeaderCount < 0 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("bad limits: " + maxHeadBytes + ", " + maxHeaderCount + ", " + maxBodyBytes);
        }
        this.maxHeadBytes = maxHeadBytes;
        this.maxHeaderCount = maxHeaderCount;
        this.maxBodyBytes = maxBodyBytes;
        this.body = new RequestBody(maxBodyBytes, maxHeadBytes);
        reset();
    }

    /** Thread: the parser's thread. Prepares for the next request on the same connection; keeps the buffer. */
    public void reset() {
        state = State.REQUEST_LINE;
        length = 0;
        lineStart = 0;
        sectionBytes = 0;
        sawCr = false;
        colon = -1;
        requestLineEnd = 0;
        fieldCount = 0;
        hostCount = 0;
        transferEncodings = 0;
        chunked = false;
        contentLength = -1;
        sawClose = false;
        sawKeepAlive = false;
        body.startFixed(0);
    }

    /**
     * Thread: the parser's thread. Consumes bytes up to the end of the current request (or of {@code in}).
     *
     * @param in received bytes; its position advances past what was consumed
     * @return {@code true} once the request is complete (and on every call after that until {@link #reset}),
     *     {@code false} having consumed all of {@code in}
     * @throws HttpRequestException when the bytes cannot be a valid request; the parser is then unusable
     *     until {@link #reset}
     */
    public boolean parse(ByteBuffer in) throws HttpRequestException {
        if (state == State.FAILED) {
            throw new IllegalStateException("the parser failed on a malformed request; reset() it before reuse");
        }
        try {
            while (state != State.COMPLETE) {
                if (!in.hasRemaining()) {
                    return false;
                }
                switch (state) {
                    case REQUEST_LINE -> {
                        if (readLine(in)) {
                            onRequestLine();
                        }
                    }
                    case FIELD_LINE -> {
                        if (readLine(in)) {
                            onFieldLine();
                        }
                    }
                    case BODY -> {
                        if (body.skip(in)) {
                            state = State.COMPLETE;
                        }
                    }
                    default -> throw new IllegalStateException("unexpected state " + state);
                }
            }
            return true;
        } catch (HttpRequestException e) {
            state = State.FAILED;
            throw e;
        }
    }

    /**
     * Thread: the parser's thread.
     *
     * @return {@link HttpMethod#GET} or {@link HttpMethod#HEAD}, or {@code null} for any other method
     */
    public HttpMethod method() {
        return equalsAt(0, methodEnd, GET, false) ? HttpMethod.GET
                : equalsAt(0, methodEnd, HEAD, false) ? HttpMethod.HEAD : null;
    }

    /**
     * Thread: the parser's thread.
     *
     * @return the method as received (allocates)
     */
    public String methodName() {
        return new String(head, 0, methodEnd, ISO_8859_1);
    }

    /**
     * Thread: the parser's thread.
     *
     * @return the request target in origin form, as received or taken from an absolute-form target (allocates)
     */
    public String target() {
        return new String(head, targetStart, targetEnd - targetStart, ISO_8859_1);
    }

    /**
     * Thread: the parser's thread. Compares without allocating.
     *
     * @param ascii the expected target
     * @return whether the request target (in origin form, see {@link #target()}) is exactly {@code ascii}
     */
    public boolean targetEquals(byte[] ascii) {
        return equalsAt(targetStart, targetEnd, ascii, false);
    }

    /**
     * Thread: the parser's thread.
     *
     * @return 0 for HTTP/1.0, 1 for HTTP/1.1 (and later 1.x)
     */
    public int minorVersion() {
        return minorVersion;
    }

    /**
     * Thread: the parser's thread. Whether the connection stays open after the response (RFC 9112
     * §9.3): HTTP/1.1 unless {@code Connection: close}, HTTP/1.0 only with {@code Connection: keep-alive}.
     *
     * @return whether the client asked to keep the connection
     */
    public boolean keepAlive() {
        return !sawClose && (minorVersion > 0 || sawKeepAlive);
    }

    /**
     * Thread: the parser's thread.
     *
     * @return body bytes received for the current request so far
     */
    public long bodyBytes() {
        return body.bytes();
    }

    // ------------------------------------------------------------------ lines

    /** Appends one line's bytes to the head buffer, checking each byte; true at its end. */
    private boolean readLine(ByteBuffer in) throws HttpRequestException {
        boolean fieldLine = state != State.REQUEST_LINE;
        while (in.hasRemaining()) {
            byte b = in.get();
            if (++sectionBytes > maxHeadBytes) {
                throw state == State.REQUEST_LINE
                        ? new HttpRequestException(Kind.URI_TOO_LONG, "request line longer than " + maxHeadBytes + " bytes")
                        : new HttpRequestException(Kind.HEADERS_TOO_LARGE, "request head larger than " + maxHeadBytes + " bytes");
            }
            if (sawCr && b != '\n') {
                throw new HttpRequestException(fieldLine ? Kind.BAD_HEADER : Kind.BAD_REQUEST_LINE, "bare CR in a line");
            }
            if (b == '\n') {
                sawCr = false;
                return true;
            }
            if (b == '\r') {
                sawCr = true;
            } else if (HttpSyntax.isForbiddenControl(b) && !(fieldLine && b == '\t')) {
                throw new HttpRequestException(fieldLine ? Kind.BAD_HEADER : Kind.BAD_REQUEST_LINE,
                        String.format("control character 0x%02X in the request head", b & 0xFF));
            } else {
                if (fieldLine && colon < 0) {
                    checkNameByte(b);
                }
                append(b);
            }
        }
        return false;
    }

    /** RFC 9112 §5.1: field-name is a token, directly followed by the colon. */
    private void checkNameByte(byte b) throws HttpRequestException {
        if (b == ':') {
            if (length == lineStart) {
                throw new HttpRequestException(Kind.BAD_HEADER, "empty field name");
            }
            colon = length;
        } else if (HttpSyntax.isWhitespace(b)) {
            throw new HttpRequestException(Kind.BAD_HEADER, length == lineStart
                    ? "obs-fold or whitespace before a field line (RFC 9112 §5.2)"
                    : "whitespace between field name and colon (RFC 9112 §5.1)");
        } else if (!HttpSyntax.isTchar(b)) {
            throw new HttpRequestException(Kind.BAD_HEADER, String.format("invalid byte 0x%02X in a field name", b & 0xFF));
        }
    }

    private void append(byte b) {
        if (length == head.length) {
            // Never past the limit: sectionBytes counts this byte and is at most maxHeadBytes.
            head = Arrays.copyOf(head, Math.min(head.length * 2, maxHeadBytes));
        }
        head[length++] = b;
    }

    /** RFC 9112 §3: request-line = method SP request-target SP HTTP-version. */
    private void onRequestLine() throws HttpRequestException {
        if (length == 0) {
            return; // §2.2: a server SHOULD ignore at least one empty line before the request line
        }
        int sp1 = indexOf((byte) ' ', 0, length);
        int sp2 = sp1 < 0 ? -1 : indexOf((byte) ' ', sp1 + 1, length);
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || indexOf((byte) ' ', sp2 + 1, length) >= 0) {
            throw new HttpRequestException(Kind.BAD_REQUEST_LINE, "malformed request line: " + excerpt(0, length));
        }
        for (int i = 0; i < sp1; i++) {
            if (!HttpSyntax.isTchar(head[i])) {
                throw new HttpRequestException(Kind.BAD_REQUEST_LINE, "malformed method: " + excerpt(0, sp1));
            }
        }
        int v = sp2 + 1;
        if (length - v != 8 || !equalsAt(v, v + 5, HTTP_SLASH, false) || !isDigit(head[v + 5])
                || head[v + 6] != '.' || !isDigit(head[v + 7])) {
            throw new HttpRequestException(Kind.BAD_REQUEST_LINE, "malformed HTTP version: " + excerpt(v, length));
        }
        if (head[v + 5] != '1') {
            throw new HttpRequestException(Kind.VERSION_NOT_SUPPORTED, "unsupported HTTP version: " + excerpt(v, length));
        }
        methodEnd = sp1;
        targetStart = sp1 + 1;
        targetEnd = sp2;
        toOriginForm();
        minorVersion = head[v + 7] == '0' ? 0 : 1;
        requestLineEnd = length;
        state = State.FIELD_LINE;
        startFieldLine();
    }

    private void toOriginForm() throws HttpRequestException {
        int start = RequestTarget.originFormStart(head, targetStart, targetEnd);
        if (start < 0) {
            throw new HttpRequestException(Kind.BAD_REQUEST_LINE, "absolute-form target without a host: "
                    + excerpt(targetStart, targetEnd));
        }
        targetStart = start;
    }

    private void startFieldLine() {
        length = requestLineEnd;
        lineStart = length;
        colon = -1;
    }

    private void onFieldLine() throws HttpRequestException {
        if (length == lineStart) {
            endOfHead();
            return;
        }
        if (colon < 0) {
            throw new HttpRequestException(Kind.BAD_HEADER, "field line without a colon: " + excerpt(lineStart, length));
        }
        if (++fieldCount > maxHeaderCount) {
            throw new HttpRequestException(Kind.TOO_MANY_HEADERS, "more than " + maxHeaderCount + " field lines");
        }
        interpretField();
        startFieldLine();
    }

    /** The fields that decide framing and persistence, read in place. */
    private void interpretField() throws HttpRequestException {
        int valueStart = colon + 1;
        int valueEnd = length;
        while (valueStart < valueEnd && HttpSyntax.isWhitespace(head[valueStart])) {
            valueStart++;
        }
        while (valueEnd > valueStart && HttpSyntax.isWhitespace(head[valueEnd - 1])) {
            valueEnd--;
        }
        if (equalsAt(lineStart, colon, HOST, true)) {
            hostCount++;
        } else if (equalsAt(lineStart, colon, CONTENT_LENGTH, true)) {
            long value = HeadBytes.contentLength(head, valueStart, valueEnd);
            if (value < 0 || (contentLength >= 0 && value != contentLength)) {
                throw new HttpRequestException(Kind.BAD_CONTENT_LENGTH, "bad or conflicting Content-Length: "
                        + excerpt(valueStart, valueEnd));
            }
            contentLength = value;
        } else if (equalsAt(lineStart, colon, TRANSFER_ENCODING, true)) {
            transferEncodings++;
            chunked = transferEncodings == 1 && equalsAt(valueStart, valueEnd, CHUNKED, true);
        } else if (equalsAt(lineStart, colon, CONNECTION, true)) {
            sawClose |= HeadBytes.hasListMember(head, valueStart, valueEnd, CLOSE);
            sawKeepAlive |= HeadBytes.hasListMember(head, valueStart, valueEnd, KEEP_ALIVE);
        }
    }

    private void endOfHead() throws HttpRequestException {
        if (hostCount > 1 || (hostCount == 0 && minorVersion > 0)) {
            throw new HttpRequestException(Kind.BAD_HOST, hostCount == 0
                    ? "HTTP/1.1 request without a Host field (RFC 9112 §3.2)" : "more than one Host field (RFC 9112 §3.2)");
        }
        if (transferEncodings > 0) {
            if (minorVersion == 0) {
                throw new HttpRequestException(Kind.BAD_HEADER, "Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1)");
            }
            if (contentLength >= 0) {
                throw new HttpRequestException(Kind.BAD_CONTENT_LENGTH, "both Transfer-Encoding and Content-Length (RFC 9112 §6.1)");
            }
            if (!chunked) {
                throw new HttpRequestException(Kind.UNSUPPORTED_TRANSFER_ENCODING, "only the chunked transfer coding is supported");
            }
            body.startChunked();
            state = State.BODY;
        } else if (contentLength > maxBodyBytes) {
            throw new HttpRequestException(Kind.BODY_TOO_LARGE, "body of " + contentLength + " bytes, limit " + maxBodyBytes);
        } else if (contentLength > 0) {
            body.startFixed(contentLength);
            state = State.BODY;
        } else {
            state = State.COMPLETE;
        }
    }

    // ------------------------------------------------------------------ bytes

    private boolean equalsAt(int from, int to, byte[] expected, boolean ignoreCase) {
        return HeadBytes.equalsAt(head, from, to, expected, ignoreCase);
    }

    private int indexOf(byte b, int from, int to) {
        return HeadBytes.indexOf(head, b, from, to);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private String excerpt(int from, int to) {
        return HttpSyntax.excerpt(Arrays.copyOfRange(head, from, to), to - from);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(ISO_8859_1);
    }
}
