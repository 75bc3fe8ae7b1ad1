package dev.sluice.samples.http;

import dev.sluice.samples.http.HttpParseException.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Thread: any; an instance belongs to one connection and is used only by the thread that reads it.
 *
 * <p>The benchmark's response reader: finds where each response to a GET ends and what its status
 * was, one byte at a time, and allocates nothing (no strings, no buffers). {@link HttpResponseParser}
 * is the strict, complete codec that {@code fetch} uses; it builds a string per header field, which at
 * tens of thousands of responses a second is garbage a load generator should not make (wrk's own
 * http_parser does not copy either). What this one reads, per RFC 9112:
 * <ul>
 *   <li>the status line's version and three-digit code (§4); the reason phrase is skipped;</li>
 *   <li>{@code Content-Length} (§6.3 rule 6), {@code Transfer-Encoding: chunked} (§7.1: chunk sizes,
 *       extensions and trailers skipped), and otherwise a body delimited by the close (rule 8);</li>
 *   <li>{@code Connection}: {@code close} ends an HTTP/1.1 connection, {@code keep-alive} keeps an
 *       HTTP/1.0 one (§9.3);</li>
 *   <li>1xx interim responses are skipped, 204 and 304 have no body (§6.3 rule 1).</li>
 * </ul>
 * Anything it cannot frame is an {@link HttpParseException}; the benchmark counts it as a read error,
 * as wrk does. A line or head longer than 64 KiB is one too.
 */
final class BenchResponseScanner {

    /** Thread: any. What a call to {@link #scan} achieved. */
    enum Result { NEED_MORE, COMPLETE }

    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION = "connection".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "keep-alive".getBytes(StandardCharsets.US_ASCII);

    private enum State { STATUS, NAME, VALUE, FIXED_BODY, CHUNK_SIZE, CHUNK_EXT, CHUNK_DATA, CHUNK_END, TRAILER,
        CLOSE_BODY, COMPLETE }

    private enum Field { OTHER, CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION }

    /** The status line's first 12 bytes ({@code HTTP/1.1 200}), or a value kept for matching. */
    private final byte[] small = new byte[32];
    private State state;
    private int smallLength;
    private int headBytes;
    private int status;
    private boolean http10, sawClose, sawKeepAlive, chunked;
    private long contentLength;
    private long remaining;
    private Field field;
    /** The current field name, lower-cased; only as long as the longest name we look for. */
    private final byte[] name = new byte[17];
    private int nameLength;
    private boolean lineEmpty;
    private int chunkDigits;

    BenchResponseScanner() {
        reset();
    }

    /** Thread: the scanner's. Forgets the current response; ready for the next one on the connection. */
    void reset() {
        state = State.STATUS;
        smallLength = 0;
        headBytes = 0;
        status = 0;
        http10 = false;
        sawClose = false;
        sawKeepAlive = false;
        chunked = false;
        contentLength = -1;
        remaining = 0;
        lineEmpty = true;
    }

    /** Thread: the scanner's. @return the status code of the response being read, 0 before its line */
    int status() {
        return status;
    }

    /** Thread: the scanner's. @return whether the connection carries another request after this response */
    boolean keepAlive() {
        return state != State.CLOSE_BODY && !sawClose && (!http10 || sawKeepAlive);
    }

    /**
     * Thread: the scanner's. Consumes {@code in} up to the end of the current response.
     *
     * @param in received bytes; its position moves past what was consumed
     * @return {@link Result#COMPLETE} when the response ended (bytes after it stay in {@code in})
     * @throws HttpParseException when the bytes cannot be framed as a response
     */
    Result scan(ByteBuffer in) throws HttpParseException {
        while (in.hasRemaining()) {
            switch (state) {
                case FIXED_BODY:
                case CHUNK_DATA: {
                    int n = (int) Math.min(remaining, in.remaining());
                    in.position(in.position() + n);
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == State.FIXED_BODY) {
                            state = State.COMPLETE;
                            return Result.COMPLETE;
                        }
                        state = State.CHUNK_END;
                    }
                    break;
                }
                case CLOSE_BODY:
                    in.position(in.limit());
                    return Result.NEED_MORE;
                case COMPLETE:
                    return Result.COMPLETE;
                default:
                    if (skipsToLineEnd()) {
                        skipToLineEnd(in);
                        if (!in.hasRemaining()) {
                            return Result.NEED_MORE;
                        }
                    }
                    if (step(in.get())) {
                        return Result.COMPLETE;
                    }
            }
        }
        return state == State.COMPLETE ? Result.COMPLETE : Result.NEED_MORE;
    }

    /**
     * Thread: the scanner's. The connection's input ended.
     *
     * @return whether that completed a close-delimited response
     */
    boolean endOfInput() {
        boolean completes = state == State.CLOSE_BODY;
        state = completes ? State.COMPLETE : state;
        return completes;
    }

    /**
     * Whether the rest of the current line means nothing to us: the value of a field we do not read, or
     * the status line past its code (the reason phrase). Most of a response head is such bytes.
     */
    private boolean skipsToLineEnd() {
        return state == State.VALUE && field == Field.OTHER || state == State.STATUS && smallLength == 12;
    }

    /**
     * Moves to the next CR or LF (or the end of {@code in}) in one tight loop of absolute reads, instead
     * of a byte at a time through {@link #step}; the bytes still count towards the head's limit.
     */
    private void skipToLineEnd(ByteBuffer in) throws HttpParseException {
        int from = in.position();
        int limit = in.limit();
        int i = from;
        while (i < limit) {
            byte b = in.get(i);
            if (b == '\n' || b == '\r') {
                break;
            }
            i++;
        }
        countHead(i - from);
        in.position(i);
    }

    private void countHead(int bytes) throws HttpParseException {
        headBytes += bytes;
        if (headBytes > MAX_HEAD_BYTES) {
            throw new HttpParseException(Kind.HEADERS_TOO_LARGE, "response head over " + MAX_HEAD_BYTES + " bytes");
        }
    }

    /** One byte of a head, chunk-size line or trailer; true when the response completed with it. */
    private boolean step(byte b) throws HttpParseException {
        if (state == State.STATUS || state == State.NAME || state == State.VALUE) {
            countHead(1);
        }
        if (b == '\r') {
            return false; // a CR is only ever allowed before LF; the LF ends the line
        }
        switch (state) {
            case STATUS:
                if (b == '\n') {
                    statusLine();
                } else if (smallLength < 12) {
                    small[smallLength++] = b;
                }
                return false;
            case NAME:
                return nameByte(b);
            case VALUE:
                if (b == '\n') {
                    endValue();
                    state = State.NAME;
                    lineEmpty = true;
                } else {
                    valueByte(b);
                }
                return false;
            case CHUNK_SIZE:
                return chunkSizeByte(b);
            case CHUNK_EXT:
                if (b == '\n') {
                    endChunkSize();
                }
                return false;
            case CHUNK_END:
                if (b != '\n') {
                    throw new HttpParseException(Kind.BAD_CHUNK, "chunk data not followed by CRLF");
                }
                state = State.CHUNK_SIZE;
                chunkDigits = 0;
                return false;
            case TRAILER:
                if (b == '\n') {
                    if (lineEmpty) {
                        state = State.COMPLETE;
                        return true;
                    }
                    lineEmpty = true;
                } else {
                    lineEmpty = false;
                }
                return false;
            default:
                throw new IllegalStateException("unexpected state " + state);
        }
    }

    private void statusLine() throws HttpParseException {
        byte[] s = small;
        if (smallLength < 12 || s[0] != 'H' || s[1] != 'T' || s[2] != 'T' || s[3] != 'P' || s[4] != '/' || s[5] != '1'
                || s[6] != '.' || s[8] != ' ' || !digit(s[9]) || !digit(s[10]) || !digit(s[11])) {
            throw new HttpParseException(Kind.BAD_STATUS_LINE, "malformed status line");
        }
        http10 = s[7] == '0';
        status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
        state = State.NAME;
        lineEmpty = true;
        field = Field.OTHER;
    }

    private boolean nameByte(byte b) throws HttpParseException {
        if (b == '\n') {
            if (!lineEmpty) {
                throw new HttpParseException(Kind.BAD_HEADER, "field line without a colon");
            }
            return endOfHead();
        }
        if (lineEmpty) {
            lineEmpty = false;
            nameLength = 0;
        }
        if (b != ':') {
            if (nameLength < name.length) {
                name[nameLength] = (byte) (b >= 'A' && b <= 'Z' ? b + 32 : b);
            }
            nameLength++;
            return false;
        }
        field = nameIs(CONTENT_LENGTH) ? Field.CONTENT_LENGTH : nameIs(TRANSFER_ENCODING) ? Field.TRANSFER_ENCODING
                : nameIs(CONNECTION) ? Field.CONNECTION : Field.OTHER;
        state = State.VALUE;
        smallLength = 0;
        if (field == Field.CONTENT_LENGTH) {
            if (contentLength >= 0) {
                throw new HttpParseException(Kind.BAD_CONTENT_LENGTH, "Content-Length repeated");
            }
            contentLength = 0;
        }
        return false;
    }

    private boolean nameIs(byte[] known) {
        return same(name, nameLength, known);
    }

    private void valueByte(byte b) throws HttpParseException {
        switch (field) {
            case CONTENT_LENGTH:
                if (digit(b)) {
                    if (contentLength > (Long.MAX_VALUE - 9) / 10) {
                        throw new HttpParseException(Kind.BAD_CONTENT_LENGTH, "Content-Length overflows");
                    }
                    contentLength = contentLength * 10 + (b - '0');
                    smallLength++;
                } else if (b != ' ' && b != '\t') {
                    throw new HttpParseException(Kind.BAD_CONTENT_LENGTH, "Content-Length is not a number");
                }
                break;
            case TRANSFER_ENCODING:
            case CONNECTION:
                if (b == ',') {
                    endToken();
                } else if (b != ' ' && b != '\t' && smallLength < small.length) {
                    small[smallLength++] = (byte) (b >= 'A' && b <= 'Z' ? b + 32 : b);
                } else if (b != ' ' && b != '\t') {
                    smallLength = small.length + 1; // too long to be a token we know
                }
                break;
            default:
                break;
        }
    }

    private void endValue() throws HttpParseException {
        if (field == Field.CONTENT_LENGTH && smallLength == 0) {
            throw new HttpParseException(Kind.BAD_CONTENT_LENGTH, "empty Content-Length");
        }
        if (field == Field.TRANSFER_ENCODING || field == Field.CONNECTION) {
            endToken();
        }
    }

    private void endToken() throws HttpParseException {
        if (field == Field.CONNECTION) {
            sawClose |= is(CLOSE);
            sawKeepAlive |= is(KEEP_ALIVE);
        } else if (smallLength > 0) {
            if (!is(CHUNKED) || http10) {
                throw new HttpParseException(Kind.BAD_TRANSFER_ENCODING, "only Transfer-Encoding: chunked on HTTP/1.1");
            }
            chunked = true;
        }
        smallLength = 0;
    }

    private boolean is(byte[] token) {
        return same(small, smallLength, token);
    }

    private static boolean same(byte[] buffer, int length, byte[] token) {
        return length == token.length && Arrays.equals(buffer, 0, length, token, 0, length);
    }

    private boolean endOfHead() throws HttpParseException {
        if (status < 200) {
            reset(); // an interim response: the real one follows (RFC 9110 §15.2)
            return false;
        }
        if (chunked && contentLength >= 0) {
            throw new HttpParseException(Kind.BAD_CONTENT_LENGTH, "Content-Length with Transfer-Encoding");
        }
        if (status == 204 || status == 304 || (!chunked && contentLength == 0)) {
            state = State.COMPLETE;
            return true;
        }
        if (chunked) {
            state = State.CHUNK_SIZE;
            chunkDigits = 0;
            remaining = 0;
        } else if (contentLength > 0) {
            state = State.FIXED_BODY;
            remaining = contentLength;
        } else {
            state = State.CLOSE_BODY;
        }
        return false;
    }

    private boolean chunkSizeByte(byte b) throws HttpParseException {
        int v = Character.digit(b, 16);
        if (v >= 0) {
            if (++chunkDigits > 15) {
                throw new HttpParseException(Kind.BAD_CHUNK, "chunk size too large");
            }
            remaining = remaining * 16 + v;
        } else if (b == ';' || b == ' ' || b == '\t') {
            state = State.CHUNK_EXT;
        } else if (b == '\n') {
            endChunkSize();
        } else {
            throw new HttpParseException(Kind.BAD_CHUNK, "malformed chunk-size line");
        }
        return false;
    }

    private void endChunkSize() throws HttpParseException {
        if (chunkDigits == 0) {
            throw new HttpParseException(Kind.BAD_CHUNK, "empty chunk-size line");
        }
        if (remaining == 0) {
            state = State.TRAILER;
            lineEmpty = true;
        } else {
            state = State.CHUNK_DATA;
        }
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }
}
