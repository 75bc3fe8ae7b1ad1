package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.sluice.samples.http.HttpParseException.Kind;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Thread: the owning parser's thread only; instances are not thread-safe.
 *
 * <p>Reads the response's lines one at a time, however the bytes are split, and checks each byte as
 * it arrives, so a byte that cannot appear in the line is reported at once rather than at the line's
 * end. Line ends follow RFC 9112 §2.2: CRLF, or a bare LF; a bare CR is an error. Status and field
 * lines are kept in a buffer that grows up to the section byte limit and is reused for every later
 * line; chunk-size lines are parsed on the fly and never stored.
 */
final class LineReader {

    /** What a line is: decides how its bytes are checked and the Kind of its errors. */
    enum LineType { STATUS, FIELD, CHUNK_SIZE }

    /** A chunk-size line with its ignored extensions: nobody needs more, and it bounds the wait for its end. */
    static final int MAX_CHUNK_LINE_BYTES = 4096;

    private static final int INITIAL_CAPACITY = 256;
    private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};

    private final int maxSectionBytes;
    private byte[] line;
    private int length;
    private int lineBytes;
    private int sectionBytes;
    private String sectionName = "header";
    private boolean sawCr;
    private boolean inName;
    private int colonIndex;
    private long chunkSize;
    private int chunkDigits;
    private boolean chunkSizeEnded;
    private boolean inChunkExtension;

    /** @param maxSectionBytes most bytes, line ends included, of a status line plus header section, or of a trailer section */
    LineReader(int maxSectionBytes) {
        this.maxSectionBytes = maxSectionBytes;
        this.line = new byte[Math.min(INITIAL_CAPACITY, maxSectionBytes)];
    }

    /** Starts counting a new section against the byte limit; the name is used in error messages. */
    void beginSection(String name) {
        sectionName = name;
        sectionBytes = 0;
    }

    void startLine() {
        length = 0;
        lineBytes = 0;
        sawCr = false;
        inName = true;
        colonIndex = -1;
        chunkSize = 0;
        chunkDigits = 0;
        chunkSizeEnded = false;
        inChunkExtension = false;
    }

    /**
     * Consumes bytes up to and including the end of the current line.
     *
     * @return true if the line is complete (call {@link #startLine} after using it), false if
     *     {@code in} ran out first
     */
    boolean read(ByteBuffer in, LineType type) throws HttpParseException {
        while (in.hasRemaining()) {
            byte b = in.get();
            lineBytes++;
            if (type == LineType.CHUNK_SIZE) {
                if (lineBytes > MAX_CHUNK_LINE_BYTES) {
                    throw new HttpParseException(Kind.BAD_CHUNK, "chunk-size line longer than " + MAX_CHUNK_LINE_BYTES + " bytes");
                }
            } else if (++sectionBytes > maxSectionBytes) {
                throw new HttpParseException(Kind.HEADERS_TOO_LARGE,
                        sectionName + " section larger than " + maxSectionBytes + " bytes");
            }
            if (sawCr) {
                if (b != '\n') {
                    throw new HttpParseException(errorKind(type), "bare CR (not followed by LF) in line: " + excerpt());
                }
                return true;
            }
            if (b == '\r') {
                sawCr = true;
            } else if (b == '\n') {
                return true;
            } else if (type == LineType.STATUS) {
                acceptStatusByte(b);
            } else if (type == LineType.FIELD) {
                acceptFieldByte(b);
            } else {
                acceptChunkSizeByte(b);
            }
        }
        return false;
    }

    int length() {
        return length;
    }

    byte at(int index) {
        return line[index];
    }

    /** For a field line: whether it continues the previous field (obs-fold, RFC 9112 §5.2). */
    boolean isContinuation() {
        return length > 0 && HttpSyntax.isWhitespace(line[0]);
    }

    boolean hasColon() {
        return colonIndex >= 0;
    }

    String fieldName() {
        return text(0, colonIndex);
    }

    /** The field value with OWS removed at both ends (RFC 9112 §5.1); for a continuation, the whole line. */
    String fieldValue() {
        int from = colonIndex + 1;
        int to = length;
        while (from < to && HttpSyntax.isWhitespace(line[from])) {
            from++;
        }
        while (to > from && HttpSyntax.isWhitespace(line[to - 1])) {
            to--;
        }
        return text(from, to);
    }

    /** Bytes mapped one to one to chars: field values may hold obs-text (RFC 9110 §5.5). */
    String text(int from, int to) {
        return new String(line, from, to - from, ISO_8859_1);
    }

    boolean hasChunkSize() {
        return chunkDigits > 0;
    }

    long chunkSize() {
        return chunkSize;
    }

    int capacity() {
        return line.length;
    }

    String excerpt() {
        return HttpSyntax.excerpt(line, length);
    }

    private static Kind errorKind(LineType type) {
        return type == LineType.STATUS ? Kind.BAD_STATUS_LINE : type == LineType.FIELD ? Kind.BAD_HEADER : Kind.BAD_CHUNK;
    }

    private void acceptStatusByte(byte b) throws HttpParseException {
        if (HttpSyntax.isForbiddenControl(b)) {
            throw new HttpParseException(Kind.BAD_STATUS_LINE, controlMessage(b, "status line"));
        }
        append(b);
        if (length <= HTTP_SLASH.length && b != HTTP_SLASH[length - 1]) {
            throw new HttpParseException(Kind.BAD_STATUS_LINE, "response does not start with 'HTTP/': " + excerpt());
        }
    }

    /** RFC 9112 §5.1: field-name ":" OWS field-value OWS, where field-name is a token; or an obs-fold line. */
    private void acceptFieldByte(byte b) throws HttpParseException {
        if (HttpSyntax.isForbiddenControl(b)) {
            throw new HttpParseException(Kind.BAD_HEADER, controlMessage(b, "field line"));
        }
        if (length == 0) {
            inName = !HttpSyntax.isWhitespace(b);
        }
        append(b);
        if (!inName) {
            return;
        }
        if (b == ':') {
            if (length == 1) {
                throw new HttpParseException(Kind.BAD_HEADER, "empty field name: " + excerpt());
            }
            inName = false;
            colonIndex = length - 1;
        } else if (HttpSyntax.isWhitespace(b)) {
            throw new HttpParseException(Kind.BAD_HEADER,
                    "whitespace between field name and colon (RFC 9112 §5.1): " + excerpt());
        } else if (!HttpSyntax.isTchar(b)) {
            throw new HttpParseException(Kind.BAD_HEADER,
                    String.format("invalid character 0x%02X in field name: %s", b & 0xFF, excerpt()));
        }
    }

    /** RFC 9112 §7.1: chunk-size [ chunk-ext ], chunk-ext = *( BWS ";" BWS ext-name ... ), ignored. */
    private void acceptChunkSizeByte(byte b) throws HttpParseException {
        if (inChunkExtension) {
            if (HttpSyntax.isForbiddenControl(b)) {
                throw new HttpParseException(Kind.BAD_CHUNK, controlMessage(b, "chunk extension"));
            }
            return;
        }
        int digit = HttpSyntax.hexValue(b);
        if (!chunkSizeEnded && digit >= 0) {
            if (chunkSize > (Long.MAX_VALUE >> 4)) {
                throw new HttpParseException(Kind.BAD_CHUNK, "chunk size overflows a long");
            }
            chunkSize = (chunkSize << 4) | digit;
            chunkDigits++;
        } else if (chunkDigits == 0) {
            throw new HttpParseException(Kind.BAD_CHUNK,
                    String.format("chunk size must start with a hex digit, got 0x%02X", b & 0xFF));
        } else if (b == ';') {
            inChunkExtension = true;
        } else if (HttpSyntax.isWhitespace(b)) {
            chunkSizeEnded = true;
        } else {
            throw new HttpParseException(Kind.BAD_CHUNK,
                    String.format("unexpected byte 0x%02X after chunk size", b & 0xFF));
        }
    }

    private void append(byte b) {
        if (length == line.length) {
            // Never past the limit: the section count includes this byte and is at most maxSectionBytes.
            line = Arrays.copyOf(line, Math.min(line.length * 2, maxSectionBytes));
        }
        line[length++] = b;
    }

    private static String controlMessage(byte b, String where) {
        return String.format("control character 0x%02X in %s", b & 0xFF, where);
    }
}
