package dev.sluice.samples.http;

import dev.sluice.samples.http.HttpParseException.Kind;

/**
 * Thread: any; stateless.
 *
 * <p>Character classes and field-value grammars the response parser needs (RFC 9110 §5.6).
 */
final class HttpSyntax {

    /** RFC 9110 §5.6.2 tchar: the characters allowed in a token such as a field name. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HttpSyntax() {
    }

    static boolean isTchar(byte b) {
        return b >= 0 && TCHAR[b];
    }

    /** Control characters other than HTAB, and DEL: never valid in a status or field line (RFC 9110 §5.5). */
    static boolean isForbiddenControl(byte b) {
        return (b >= 0 && b < 0x20 && b != '\t') || b == 0x7F;
    }

    /** RFC 5234 HEXDIG (either case), or -1. */
    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
    }

    static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    /**
     * RFC 9110 §8.6: Content-Length = 1*DIGIT. After combining, a value may be a list; identical
     * members ("42, 42") are accepted as one, as the RFC allows, anything else is an error.
     */
    static long parseContentLength(String value) throws HttpParseException {
        long length = -1;
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            long member = parseDecimal(value, start, end);
            if (length >= 0 && member != length) {
                throw new HttpParseException(Kind.BAD_CONTENT_LENGTH, "conflicting Content-Length values: " + value);
            }
            length = member;
            start = end + 1;
        }
        return length;
    }

    private static long parseDecimal(String value, int start, int end) throws HttpParseException {
        while (start < end && isWhitespace((byte) value.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace((byte) value.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            throw new HttpParseException(Kind.BAD_CONTENT_LENGTH, "empty Content-Length: '" + value + "'");
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new HttpParseException(Kind.BAD_CONTENT_LENGTH,
                        "Content-Length is not a non-negative decimal number: '" + value + "'");
            }
            if (n > (Long.MAX_VALUE - (c - '0')) / 10) {
                throw new HttpParseException(Kind.BAD_CONTENT_LENGTH, "Content-Length overflows: " + value);
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Whether a comma-separated list (RFC 9110 §5.6.1) holds {@code token}, case-insensitively. */
    static boolean hasToken(String list, String token) {
        if (list == null) {
            return false;
        }
        int start = 0;
        while (start <= list.length()) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? list.length() : comma;
            while (start < end && isWhitespace((byte) list.charAt(start))) {
                start++;
            }
            while (end > start && isWhitespace((byte) list.charAt(end - 1))) {
                end--;
            }
            if (end - start == token.length() && list.regionMatches(true, start, token, 0, token.length())) {
                return true;
            }
            start = (comma < 0 ? list.length() : comma) + 1;
        }
        return false;
    }

    /** A short, printable excerpt of a line for error messages: non-printable bytes as \xNN. */
    static String excerpt(byte[] line, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length && sb.length() < 80; i++) {
            int b = line[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02X", b));
            }
        }
        return sb.length() < 80 ? sb.toString() : sb + "...";
    }
}
