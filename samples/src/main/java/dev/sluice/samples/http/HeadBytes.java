package dev.sluice.samples.http;

/**
 * Thread: any; stateless.
 *
 * <p>Byte-level reading of request-head fields in place, so the server's parser builds no strings:
 * case-insensitive comparison, list members (RFC 9110 §5.6.1) and Content-Length (RFC 9110 §8.6).
 */
final class HeadBytes {

    private HeadBytes() {
    }

    /** Whether {@code b[from, to)} equals {@code expected}; with ignoreCase, {@code expected} must be lower case. */
    static boolean equalsAt(byte[] b, int from, int to, byte[] expected, boolean ignoreCase) {
        if (to - from != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            byte c = b[from + i];
            if (ignoreCase && c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != expected[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the comma-separated list in {@code b[from, to)} has {@code token} (lower case), ignoring case. */
    static boolean hasListMember(byte[] b, int from, int to, byte[] token) {
        int start = from;
        while (start <= to) {
            int comma = indexOf(b, (byte) ',', start, to);
            int end = comma < 0 ? to : comma;
            int s = skipWhitespace(b, start, end);
            int e = trimWhitespace(b, s, end);
            if (equalsAt(b, s, e, token, true)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /**
     * RFC 9110 §8.6: Content-Length = 1*DIGIT; a list of identical values counts as one.
     *
     * @return the length, or -1 when the value is malformed or its members differ
     */
    static long contentLength(byte[] b, int from, int to) {
        long value = -1;
        int start = from;
        while (start <= to) {
            int comma = indexOf(b, (byte) ',', start, to);
            int end = comma < 0 ? to : comma;
            int s = skipWhitespace(b, start, end);
            int e = trimWhitespace(b, s, end);
            if (s == e || e - s > 18) {
                return -1; // empty, or longer than any length that fits a long
            }
            long member = 0;
            for (int i = s; i < e; i++) {
                if (b[i] < '0' || b[i] > '9') {
                    return -1;
                }
                member = member * 10 + (b[i] - '0');
            }
            if (value >= 0 && member != value) {
                return -1;
            }
            value = member;
            start = end + 1;
        }
        return value;
    }

    private static int skipWhitespace(byte[] b, int from, int to) {
        while (from < to && HttpSyntax.isWhitespace(b[from])) {
            from++;
        }
        return from;
    }

    private static int trimWhitespace(byte[] b, int from, int to) {
        while (to > from && HttpSyntax.isWhitespace(b[to - 1])) {
            to--;
        }
        return to;
    }
}
