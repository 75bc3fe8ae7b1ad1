package dev.sluice.samples.http;

/**
 * Thread: any; constants are immutable.
 *
 * <p>The request methods this codec writes. The method matters to the response parser too: a
 * response to {@code HEAD} never has a body, whatever its header fields say (RFC 9112 §6.3 rule 1).
 */
public enum HttpMethod {
    /** Thread: any. Retrieve the target's representation (RFC 9110 §9.3.1). */
    GET,
    /** Thread: any. Like GET, but the response carries no content (RFC 9110 §9.3.2). */
    HEAD
}
