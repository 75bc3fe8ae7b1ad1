package dev.sluice.samples.http;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Thread: any; stateless.
 *
 * <p>Writes bodiless HTTP/1.1 requests (RFC 9112 §3) in US-ASCII:
 *
 * <pre>
 * GET /path?query HTTP/1.1\r\n
 * Host: host[:port]\r\n
 * User-Agent: sluice/0.1\r\n
 * Accept: *&#47;*\r\n
 * Connection: keep-alive|close\r\n
 * \r\n
 * </pre>
 *
 * <p>{@link #get} and {@link #head} return a new buffer per call. Benchmarks and load generators
 * either keep that buffer and send {@code duplicate()}s of it (the request bytes never change for
 * one URL), or call {@link #write}, which encodes straight into the caller's buffer without
 * allocating. Every character written comes from a validated {@link HttpUrl}, so none is a CR, LF or
 * space.
 */
public final class HttpRequestWriter {

    /** Thread: any. The {@code User-Agent} field value sent with every request. */
    public static final String USER_AGENT = "sluice/0.1";

    private static final String VERSION_AND_HOST = " HTTP/1.1\r\nHost: ";
    private static final String FIXED_FIELDS = "\r\nUser-Agent: " + USER_AGENT + "\r\nAccept: */*\r\nConnection: ";
    private static final String KEEP_ALIVE_END = "keep-alive\r\n\r\n";
    private static final String CLOSE_END = "close\r\n\r\n";

    private HttpRequestWriter() {
    }

    /**
     * Thread: any.
     *
     * @param url the target
     * @param keepAlive whether to ask the server to keep the connection open after the response
     * @return a new buffer holding the GET request, flipped and ready to write to a channel
     */
    public static ByteBuffer get(HttpUrl url, boolean keepAlive) {
        return encode(HttpMethod.GET, url, keepAlive);
    }

    /**
     * Thread: any.
     *
     * @param url the target
     * @param keepAlive whether to ask the server to keep the connection open after the response
     * @return a new buffer holding the HEAD request, flipped and ready to write to a channel
     */
    public static ByteBuffer head(HttpUrl url, boolean keepAlive) {
        return encode(HttpMethod.HEAD, url, keepAlive);
    }

    /**
     * Thread: any. Allocates nothing.
     *
     * @param method the request method
     * @param url the target
     * @param keepAlive the {@code Connection} option to send
     * @return the exact number of bytes {@link #write} produces for these arguments
     */
    public static int encodedLength(HttpMethod method, HttpUrl url, boolean keepAlive) {
        int target = url.path().length() + (url.query() == null ? 0 : 1 + url.query().length());
        return method.name().length() + 1 + target + VERSION_AND_HOST.length() + hostHeaderLength(url)
                + FIXED_FIELDS.length() + (keepAlive ? KEEP_ALIVE_END : CLOSE_END).length();
    }

    /**
     * Thread: any. Encodes a request at {@code dst}'s position without allocating, for hot paths.
     *
     * @param dst where to write; its position advances by the returned count
     * @param method the request method
     * @param url the target
     * @param keepAlive the {@code Connection} option to send
     * @return the number of bytes written, equal to {@link #encodedLength}
     * @throws BufferOverflowException if {@code dst} has less room than that; nothing is written then
     */
    public static int write(ByteBuffer dst, HttpMethod method, HttpUrl url, boolean keepAlive) {
        int length = encodedLength(method, url, keepAlive);
        if (dst.remaining() < length) {
            throw new BufferOverflowException();
        }
        putAscii(dst, method.name());
        dst.put((byte) ' ');
        putAscii(dst, url.path());
        if (url.query() != null) {
            dst.put((byte) '?');
            putAscii(dst, url.query());
        }
        putAscii(dst, VERSION_AND_HOST);
        putHostHeader(dst, url);
        putAscii(dst, FIXED_FIELDS);
        putAscii(dst, keepAlive ? KEEP_ALIVE_END : CLOSE_END);
        return length;
    }

    private static ByteBuffer encode(HttpMethod method, HttpUrl url, boolean keepAlive) {
        ByteBuffer buffer = ByteBuffer.allocate(encodedLength(method, url, keepAlive));
        write(buffer, method, url, keepAlive);
        return buffer.flip();
    }

    /** Mirrors {@link HttpUrl#hostHeader()} without building the string. */
    private static int hostHeaderLength(HttpUrl url) {
        int length = url.host().length() + (isIpv6(url) ? 2 : 0);
        return url.port() == url.defaultPort() ? length : length + 1 + decimalDigits(url.port());
    }

    private static void putHostHeader(ByteBuffer dst, HttpUrl url) {
        if (isIpv6(url)) {
            dst.put((byte) '[');
            putAscii(dst, url.host());
            dst.put((byte) ']');
        } else {
            putAscii(dst, url.host());
        }
        if (url.port() != url.defaultPort()) {
            dst.put((byte) ':');
            for (int divisor = pow10(decimalDigits(url.port()) - 1); divisor > 0; divisor /= 10) {
                dst.put((byte) ('0' + url.port() / divisor % 10));
            }
        }
    }

    private static boolean isIpv6(HttpUrl url) {
        return url.host().indexOf(':') >= 0;
    }

    private static int decimalDigits(int port) {
        return port < 10 ? 1 : port < 100 ? 2 : port < 1000 ? 3 : port < 10000 ? 4 : 5;
    }

    private static int pow10(int exponent) {
        int value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }

    /** The URL's constructor guarantees visible ASCII, so the narrowing cast is exact. */
    private static void putAscii(ByteBuffer dst, String s) {
        for (int i = 0; i < s.length(); i++) {
            dst.put((byte) s.charAt(i));
        }
    }
}
