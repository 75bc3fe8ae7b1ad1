package dev.sluice.samples.http;

import dev.sluice.samples.http.HttpRequestException.Kind;
import java.nio.ByteBuffer;

/**
 * Thread: the owning parser's thread only; instances are not thread-safe.
 *
 * <p>Skips a request body, framed by Content-Length or by the chunked coding (RFC 9112 §7.1, chunk
 * extensions and trailer fields included), without keeping any of it: the sample server answers GET
 * and HEAD only, but it must find where a body ends to find the next request. Nothing is stored, so
 * nothing is allocated; only the limits bound how long it reads.
 */
final class RequestBody {

    private static final int MAX_CHUNK_LINE_BYTES = 4096;

    private enum State { FIXED, CHUNK_SIZE_LINE, CHUNK_DATA, CHUNK_DATA_END, TRAILER_LINE, DONE }

    private final long maxBodyBytes;
    private final int maxTrailerBytes;
    private State state = State.DONE;
    private long remaining;
    private long bytes;
    private long chunkSize;
    private int chunkDigits;
    private int lineBytes;
    private int trailerBytes;
    private boolean inExtension;
    private boolean sawCr;

    /**
     * @param maxBodyBytes    most body bytes (chunk data, not framing)
     * @param maxTrailerBytes most bytes of the trailer section, line ends included
     */
    RequestBody(long maxBodyBytes, int maxTrailerBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxTrailerBytes = maxTrailerBytes;
    }

    /** A body of exactly {@code length} bytes; the caller has checked it against the limit. */
    void startFixed(long length) {
        bytes = 0;
        remaining = length;
        state = length == 0 ? State.DONE : State.FIXED;
    }

    void startChunked() {
        bytes = 0;
        trailerBytes = 0;
        startChunkSizeLine();
    }

    /** @return body bytes skipped so far */
    long bytes() {
        return bytes;
    }

    /**
     * Consumes body bytes up to the end of the body (or of {@code in}).
     *
     * @return whether the body is complete
     */
    boolean skip(ByteBuffer in) throws HttpRequestException {
        while (state != State.DONE) {
            if (!in.hasRemaining()) {
                return false;
            }
            switch (state) {
                case FIXED, CHUNK_DATA -> skipData(in);
                case CHUNK_SIZE_LINE -> readChunkSize(in.get());
                case CHUNK_DATA_END -> readChunkDataEnd(in.get());
                case TRAILER_LINE -> readTrailer(in.get());
                default -> throw new IllegalStateException("unexpected state " + state);
            }
        }
        return true;
    }

    private void skipData(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        in.position(in.position() + n);
        remaining -= n;
        bytes += n;
        if (remaining == 0) {
            state = state == State.FIXED ? State.DONE : State.CHUNK_DATA_END;
        }
    }

    private void startChunkSizeLine() {
        state = State.CHUNK_SIZE_LINE;
        chunkSize = 0;
        chunkDigits = 0;
        lineBytes = 0;
        inExtension = false;
        sawCr = false;
    }

    /** RFC 9112 §7.1: chunk-size [ chunk-ext ] CRLF; extensions are skipped. */
    private void readChunkSize(byte b) throws HttpRequestException {
        if (++lineBytes > MAX_CHUNK_LINE_BYTES) {
            throw new HttpRequestException(Kind.BAD_CHUNK, "chunk-size line longer than " + MAX_CHUNK_LINE_BYTES + " bytes");
        }
        if (sawCr && b != '\n') {
            throw new HttpRequestException(Kind.BAD_CHUNK, "bare CR in a chunk-size line");
        }
        if (b == '\n') {
            onChunkSize();
        } else if (b == '\r') {
            sawCr = true;
        } else if (inExtension) {
            if (HttpSyntax.isForbiddenControl(b)) {
                throw new HttpRequestException(Kind.BAD_CHUNK, "control character in a chunk extension");
            }
        } else if (b == ';' && chunkDigits > 0) {
            inExtension = true;
        } else {
            int digit = HttpSyntax.hexValue(b);
            if (digit < 0 || chunkSize > (Long.MAX_VALUE >> 4)) {
                throw new HttpRequestException(Kind.BAD_CHUNK, String.format("bad byte 0x%02X in a chunk size", b & 0xFF));
            }
            chunkSize = (chunkSize << 4) | digit;
            chunkDigits++;
        }
    }

    private void onChunkSize() throws HttpRequestException {
        sawCr = false;
        lineBytes = 0;
        if (chunkDigits == 0) {
            throw new HttpRequestException(Kind.BAD_CHUNK, "empty chunk-size line");
        }
        if (chunkSize == 0) {
            state = State.TRAILER_LINE; // RFC 9112 §7.1.2: the trailer section follows the last chunk
        } else if (chunkSize > maxBodyBytes - bytes) {
            throw new HttpRequestException(Kind.BODY_TOO_LARGE, "chunked body larger than " + maxBodyBytes + " bytes");
        } else {
            remaining = chunkSize;
            state = State.CHUNK_DATA;
        }
    }

    /** The CRLF that must follow chunk data (RFC 9112 §7.1); a bare LF is accepted as in §2.2. */
    private void readChunkDataEnd(byte b) throws HttpRequestException {
        if (b == '\n') {
            startChunkSizeLine();
        } else if (b == '\r' && !sawCr) {
            sawCr = true;
        } else {
            throw new HttpRequestException(Kind.BAD_CHUNK, "chunk data not followed by CRLF");
        }
    }

    /** Trailer fields are skipped unread (nothing here needs them); an empty line ends them. */
    private void readTrailer(byte b) throws HttpRequestException {
        if (++trailerBytes > maxTrailerBytes) {
            throw new HttpRequestException(Kind.HEADERS_TOO_LARGE, "trailer section larger than " + maxTrailerBytes + " bytes");
        }
        if (sawCr && b != '\n') {
            throw new HttpRequestException(Kind.BAD_HEADER, "bare CR in a trailer line");
        }
        if (b == '\n') {
            state = lineBytes == 0 ? State.DONE : State.TRAILER_LINE;
            lineBytes = 0;
            sawCr = false;
        } else if (b == '\r') {
            sawCr = true;
        } else if (HttpSyntax.isForbiddenControl(b)) {
            throw new HttpRequestException(Kind.BAD_HEADER, "control character in a trailer line");
        } else {
            lineBytes++;
        }
    }
}
