package dev.sluice.samples.http;

import java.util.List;

/**
 * Thread: any; instances are immutable.
 *
 * <p>The head of one response as a client received it: status line and header fields, combined as
 * {@link ResponseListener#onHeader} describes.
 *
 * @param version the protocol version, {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param status  the status code
 * @param reason  the reason phrase, possibly empty
 * @param fields  the header fields in order
 */
public record ResponseHead(String version, int status, String reason, List<Field> fields) {

    /**
     * Thread: any; immutable. One header field.
     *
     * @param name  the name as received
     * @param value the value
     */
    public record Field(String name, String value) {
    }

    /** Copies the field list. */
    public ResponseHead {
        fields = List.copyOf(fields);
    }

    /**
     * Thread: any.
     *
     * @param name a field name, matched case-insensitively
     * @return its value, or {@code null} when absent
     */
    public String field(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return f.value();
            }
        }
        return null;
    }

    /**
     * Thread: any.
     *
     * @return the status line and fields as received, each line ending in CRLF, then the empty line
     */
    public String toText() {
        StringBuilder sb = new StringBuilder(version).append(' ').append(status);
        if (!reason.isEmpty()) {
            sb.append(' ').append(reason);
        }
        sb.append("\r\n");
        for (Field f : fields) {
            sb.append(f.name()).append(": ").append(f.value()).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }
}
