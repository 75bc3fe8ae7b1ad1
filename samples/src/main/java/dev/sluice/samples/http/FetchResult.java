package dev.sluice.samples.http;

/**
 * Thread: any; instances are immutable.
 *
 * <p>The outcome of one fetch: the final response's status and body size, how long each phase took,
 * or why it failed. A response with any status (404 included) is a success here; the caller decides
 * what statuses it accepts.
 *
 * @param url              the URL asked for
 * @param finalUrl         the URL of the last response (after redirects), or of the failed attempt
 * @param status           the final status code, or 0 when no final response arrived
 * @param bodyBytes        body bytes of the final response received (before a failure, if any)
 * @param redirects        redirects followed
 * @param reusedConnection whether the final request went over a pooled keep-alive connection
 * @param timings          when each phase ended, from the start of the fetch
 * @param failure          why it failed, or {@code null} on success
 */
public record FetchResult(HttpUrl url, HttpUrl finalUrl, int status, long bodyBytes, int redirects,
                          boolean reusedConnection, Timings timings, Failure failure) {

    /**
     * Thread: any; immutable. Times from the start of the fetch to the end of each phase of the last
     * request, in nanoseconds, cumulative like curl's {@code -w} timings; -1 for a phase not reached.
     * A reused connection or a cached address ends the phase at once.
     *
     * @param dnsNs       name resolution done
     * @param connectNs   connection established
     * @param firstByteNs first response byte received
     * @param totalNs     fetch finished (successfully or not)
     */
    public record Timings(long dnsNs, long connectNs, long firstByteNs, long totalNs) {
    }

    /**
     * Thread: any; immutable. Why a fetch failed.
     *
     * @param kind    the category
     * @param message one line for a person
     */
    public record Failure(Kind kind, String message) {

        /** Thread: any. Failure categories. */
        public enum Kind {
            /** The URL (or a redirect's Location) is not a usable http URL; https included. */
            BAD_URL,
            /** The host name could not be resolved. */
            DNS,
            /** Every address refused the connection or was unreachable. */
            CONNECT,
            /** The connect took longer than the connect timeout. */
            CONNECT_TIMEOUT,
            /** No response byte arrived within the first-byte timeout. */
            FIRST_BYTE_TIMEOUT,
            /** The whole fetch took longer than the total timeout. */
            TOTAL_TIMEOUT,
            /** The connection was closed or reset before the response was complete. */
            CONNECTION,
            /** The response could not be parsed (see {@link HttpParseException.Kind}). */
            PROTOCOL,
            /** More redirects than allowed. */
            TOO_MANY_REDIRECTS,
            /** The listener could not take the body (for example, the output file could not be written). */
            OUTPUT,
            /** The client was closed before the fetch finished. */
            CLIENT_CLOSED
        }

        @Override
        public String toString() {
            return message;
        }
    }

    /**
     * Thread: any.
     *
     * @return whether the fetch got a final response
     */
    public boolean ok() {
        return failure == null;
    }
}
