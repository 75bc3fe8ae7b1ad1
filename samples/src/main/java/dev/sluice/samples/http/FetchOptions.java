package dev.sluice.samples.http;

import javax.net.ssl.SSLContext;
import java.util.concurrent.TimeUnit;

/**
 * Thread: any (immutable). How a {@link FetchClient} fetches. Timeouts are nanoseconds of the loop
 * clock; 0 means none.
 *
 * @param connectTimeoutNs    how long one TCP connect may take
 * @param firstByteTimeoutNs  how long, after the request is sent, until the first response byte
 * @param totalTimeoutNs      how long the whole fetch may take: resolution, connects, redirects, body
 * @param followRedirects     whether 301, 302, 303, 307 and 308 with a Location are followed
 * @param maxRedirects        how many redirects one fetch follows before failing
 * @param poolIdleTimeoutNs   how long a kept-alive connection waits in the pool before it is closed
 * @param tlsTrust            what https servers are checked against, or {@code null} for the system
 *                            trust store
 * @param tlsInsecure         https without the host name check (with a trust-all {@code tlsTrust})
 */
public record FetchOptions(long connectTimeoutNs, long firstByteTimeoutNs, long totalTimeoutNs,
                           boolean followRedirects, int maxRedirects, long poolIdleTimeoutNs,
                           SSLContext tlsTrust, boolean tlsInsecure) {

    /** Validates the options. */
    public FetchOptions {
        if (connectTimeoutNs < 0 || firstByteTimeoutNs < 0 || totalTimeoutNs < 0 || poolIdleTimeoutNs < 0) {
            throw new IllegalArgumentException("timeouts must be >= 0 (0 = none)");
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must be >= 0: " + maxRedirects);
        }
    }

    /**
     * Thread: any. Connect 10 s, first byte 30 s, no total limit, redirects not followed (at most 10
     * when they are), pooled connections closed after 30 s idle.
     *
     * @return the defaults
     */
    public static FetchOptions defaults() {
        return new FetchOptions(TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(30), 0, false, 10,
                TimeUnit.SECONDS.toNanos(30), null, false);
    }

    /**
     * Thread: any.
     *
     * @param connectNs   connect timeout
     * @param firstByteNs first-byte timeout
     * @param totalNs     total timeout
     * @return a copy with these timeouts
     */
    public FetchOptions withTimeouts(long connectNs, long firstByteNs, long totalNs) {
        return new FetchOptions(connectNs, firstByteNs, totalNs, followRedirects, maxRedirects, poolIdleTimeoutNs,
                tlsTrust, tlsInsecure);
    }

    /**
     * Thread: any.
     *
     * @param follow whether to follow redirects
     * @param max    how many at most
     * @return a copy with this redirect policy
     */
    public FetchOptions withRedirects(boolean follow, int max) {
        return new FetchOptions(connectTimeoutNs, firstByteTimeoutNs, totalTimeoutNs, follow, max, poolIdleTimeoutNs,
                tlsTrust, tlsInsecure);
    }

    /**
     * Thread: any.
     *
     * @param trust    what https servers are checked against: an {@link SSLContext} from
     *                 {@link dev.sluice.SslContexts}, or {@code null} for the system trust store
     * @param insecure skip the host name check ({@code --insecure}, with a trust-all context)
     * @return a copy with this TLS trust
     */
    public FetchOptions withTls(SSLContext trust, boolean insecure) {
        return new FetchOptions(connectTimeoutNs, firstByteTimeoutNs, totalTimeoutNs, followRedirects, maxRedirects,
                poolIdleTimeoutNs, trust, insecure);
    }
}
