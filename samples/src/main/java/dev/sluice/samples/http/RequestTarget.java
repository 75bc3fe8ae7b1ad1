package dev.sluice.samples.http;

import java.nio.charset.StandardCharsets;

/**
 * Thread: any (stateless).
 *
 * <p>RFC 9112 §3.2.2: a server must accept the absolute form of the request target
 * ({@code http://host:port/path?query}), which proxies send and some clients use. Its path and query
 * are what the origin form would have carried (an empty path is {@code /}, RFC 9110 §4.2.3); scheme
 * and authority are dropped, as this server ignores the Host field anyway.
 */
final class RequestTarget {

    private static final byte[] HTTP = "http://".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTPS = "https://".getBytes(StandardCharsets.US_ASCII);

    private RequestTarget() {
    }

    /**
     * Thread: any. Finds the origin form inside a target, in place: when the path is empty, the byte
     * before where it would start (the authority's last) is overwritten with {@code /}, so nothing is
     * allocated.
     *
     * @param head  the bytes holding the target
     * @param start where the target starts
     * @param end   where it ends
     * @return where the origin form starts ({@code start} itself for a target already in origin form),
     *     or -1 for an absolute form without a host
     */
    static int originFormStart(byte[] head, int start, int end) {
        int authority;
        if (HeadBytes.equalsAt(head, start, Math.min(end, start + HTTP.length), HTTP, true)) {
            authority = start + HTTP.length;
        } else if (HeadBytes.equalsAt(head, start, Math.min(end, start + HTTPS.length), HTTPS, true)) {
            authority = start + HTTPS.length;
        } else {
            return start;
        }
        int path = authority;
        while (path < end && head[path] != '/' && head[path] != '?') {
            path++;
        }
        if (path == authority) {
            return -1;
        }
        if (path == end || head[path] == '?') {
            head[--path] = '/';
        }
        return path;
    }
}
