package dev.sluice.samples.echo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The line modes' protocol, shared by both servers so that they answer byte for byte alike: each line
 * comes back with a {@code \n} (in upper case in {@link EchoMode#UPPER}), {@code exit} or {@code quit}
 * closes the connection, and a line that is too long gets one {@code ERR} line before the close.
 *
 * <p>Thread: any (stateless).
 */
final class LineProtocol {
    private LineProtocol() {
    }

    /**
     * Whether the line asks to close: {@code exit} or {@code quit}, in any case, with surrounding spaces
     * or tabs ignored.
     *
     * @param line the line without its terminator, from position to limit; not moved
     * @return whether to close the connection
     */
    static boolean isExit(ByteBuffer line) {
        int start = line.position();
        int end = line.limit();
        while (start < end && isBlank(line.get(start))) {
            start++;
        }
        while (end > start && isBlank(line.get(end - 1))) {
            end--;
        }
        return end - start == 4 && (matches(line, start, "exit") || matches(line, start, "quit"));
    }

    /**
     * Writes the reply to {@code line} into {@code out}: the line, upper-cased if asked (ASCII letters
     * only, so multi-byte UTF-8 passes through unchanged), then {@code \n}.
     *
     * @param line  the line without its terminator; its position moves to its limit
     * @param upper whether to upper-case ASCII letters
     * @param out   cleared, filled and flipped, ready to write; needs room for the line plus one byte
     */
    static void reply(ByteBuffer line, boolean upper, ByteBuffer out) {
        out.clear();
        int start = out.position();
        out.put(line);
        if (upper) {
            for (int i = start; i < out.position(); i++) {
                byte b = out.get(i);
                if (b >= 'a' && b <= 'z') {
                    out.put(i, (byte) (b - ('a' - 'A')));
                }
            }
        }
        out.put((byte) '\n');
        out.flip();
    }

    /**
     * @param maxLineBytes the limit
     * @return the reason logged when a line is too long, e.g. "line longer than 8192 bytes"
     */
    static String tooLong(int maxLineBytes) {
        return "line longer than " + maxLineBytes + " bytes";
    }

    /**
     * @param maxLineBytes the limit
     * @return the line sent to the client before the close
     */
    static byte[] tooLongReply(int maxLineBytes) {
        return ("ERR " + tooLong(maxLineBytes) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean matches(ByteBuffer line, int at, String word) {
        for (int i = 0; i < word.length(); i++) {
            int b = line.get(at + i) | 0x20; // only A-Z and a-z land on a-z, so this is a case-blind letter match
            if (b != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
