package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Thread: the server's loop thread only; instances are not thread-safe.
 *
 * <p>The server's response heads and small canned responses. Every response carries {@code Server}
 * and {@code Date} (RFC 9110 §6.6.1: an origin server with a clock must send Date in 2xx-4xx
 * responses). The Date text changes once a second, so the canned responses are built once per
 * second and then handed out again and again: the hot path writes a prebuilt buffer and allocates
 * nothing.
 */
final class ServerResponses {

    /** The {@code Server} field value. */
    static final String SERVER = "sluice";
    static final String HELLO = "Hello, World!";

    /** RFC 9110 §5.6.7 IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}; two-digit day, unlike RFC_1123_DATE_TIME. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The responses that are the same for every request apart from the method and persistence. */
    enum Canned {
        HELLO(200, "OK", "text/plain", ServerResponses.HELLO, null),
        NOT_FOUND(404, "Not Found", "text/plain", "Not Found\n", null),
        METHOD_NOT_ALLOWED(405, "Method Not Allowed", "text/plain", "Method Not Allowed\n", "Allow: GET, HEAD\r\n");

        final int status;
        final String reason;
        final String contentType;
        final String body;
        final String extraFields;

        Canned(int status, String reason, String contentType, String body, String extraFields) {
            this.status = status;
            this.reason = reason;
            this.contentType = contentType;
            this.body = body;
            this.extraFields = extraFields;
        }
    }

    /**
     * What the response says about the connection (RFC 9112 §9.3): nothing for HTTP/1.1's default
     * persistence, {@code close} when it ends after this response, {@code keep-alive} when an HTTP/1.0
     * client asked to keep it and it is kept (HTTP/1.0 closes unless told otherwise, RFC 9112 §C.2.2).
     */
    enum Persistence {
        DEFAULT(""), CLOSE("Connection: close\r\n"), KEEP_ALIVE("Connection: keep-alive\r\n");

        final String field;

        Persistence(String field) {
            this.field = field;
        }

        /**
         * @param keepAlive    whether the connection stays open after the response
         * @param minorVersion the request's HTTP/1.x minor version
         * @return what to say
         */
        static Persistence of(boolean keepAlive, int minorVersion) {
            return !keepAlive ? CLOSE : minorVersion == 0 ? KEEP_ALIVE : DEFAULT;
        }
    }

    private static final int PERSISTENCES = Persistence.values().length;

    private final LongSupplier wallClockMs;
    private final ByteBuffer[] canned = new ByteBuffer[Canned.values().length * 2 * PERSISTENCES];
    private long second = Long.MIN_VALUE;
    private String date;

    /** @param wallClockMs milliseconds since the epoch, for the Date field only (never for timeouts) */
    ServerResponses(LongSupplier wallClockMs) {
        this.wallClockMs = wallClockMs;
    }

    /**
     * A canned response, rewound and ready for {@code writeCopy}; valid until the next call.
     *
     * @param which the response
     * @param head  whether the request was HEAD (fields only, RFC 9110 §9.3.2)
     * @param persistence what to say about the connection
     * @return the shared buffer holding it
     */
    ByteBuffer canned(Canned which, boolean head, Persistence persistence) {
        refreshDate();
        int index = (which.ordinal() * 2 + (head ? 1 : 0)) * PERSISTENCES + persistence.ordinal();
        ByteBuffer b = canned[index];
        if (b == null) {
            String text = head(which.status, which.reason, which.contentType, which.body.length(), persistence,
                    which.extraFields);
            b = ByteBuffer.wrap((head ? text : text + which.body).getBytes(ISO_8859_1));
            canned[index] = b;
        }
        return b.rewind();
    }

    /**
     * An error response that ends the connection; allocates (errors are not the hot path).
     *
     * @param status the status code
     * @param reason the reason phrase, also sent as the body
     * @return a new buffer
     */
    ByteBuffer error(int status, String reason) {
        refreshDate();
        String body = reason + "\n";
        return ByteBuffer.wrap((head(status, reason, "text/plain", body.length(), Persistence.CLOSE, null) + body).getBytes(ISO_8859_1));
    }

    /**
     * The head of a file response; allocates.
     *
     * @param length      the body length
     * @param contentType the media type
     * @param persistence what to say about the connection
     * @return a new buffer
     */
    ByteBuffer fileHead(long length, String contentType, Persistence persistence) {
        refreshDate();
        return ByteBuffer.wrap(head(200, "OK", contentType, length, persistence, null).getBytes(ISO_8859_1));
    }

    private String head(int status, String reason, String contentType, long contentLength, Persistence persistence,
            String extraFields) {
        return "HTTP/1.1 " + status + " " + reason + "\r\nServer: " + SERVER + "\r\nDate: " + date
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + contentLength + "\r\n"
                + (extraFields == null ? "" : extraFields) + persistence.field + "\r\n";
    }

    private void refreshDate() {
        long now = wallClockMs.getAsLong();
        long s = Math.floorDiv(now, 1000);
        if (s != second) {
            second = s;
            date = IMF_FIXDATE.format(Instant.ofEpochSecond(s));
            java.util.Arrays.fill(canned, null);
        }
    }
}
