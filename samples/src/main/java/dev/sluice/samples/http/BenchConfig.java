package dev.sluice.samples.http;

import dev.sluice.TlsConfig;
import dev.sluice.samples.TlsFiles;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Thread: any (immutable). What one {@link HttpBench} run does.
 *
 * @param url              the URL to GET
 * @param connections      keep-alive connections, spread over the threads as wrk does (the first
 *                         threads take one more when they do not divide evenly)
 * @param threads          event loops, one thread each
 * @param warmupNs         how long to send requests before measuring (JIT compilation, connection
 *                         setup); nothing from it is counted
 * @param durationNs       how long to send requests and measure
 * @param pipeline         requests in flight per connection at most
 * @param timeoutNs        a connection that receives nothing for this long while waiting counts a
 *                         timeout error and is replaced
 * @param connectTimeoutNs connect timeout per connection
 * @param ratePerSecond    0 for a closed loop (each response sends the next request); otherwise the total
 *                         requests per second on a fixed schedule, latency counted from each request's
 *                         intended send time (see {@link RateSchedule})
 * @param headers          extra request header lines, {@code Name: value}; one with the name of a
 *                         default field (Host, User-Agent, Accept, Connection) replaces it
 * @param tls              for an https URL, the client's TLS (trust, SNI and host name check, as
 *                         {@link TlsFiles#client} makes it); {@code null} for http. Each connection's
 *                         handshake is allowed {@link #handshakeTimeoutNs()} after its connect, and counts
 *                         as a connect error when it fails, as in wrk
 */
public record BenchConfig(HttpUrl url, int connections, int threads, long warmupNs, long durationNs, int pipeline,
                          long timeoutNs, long connectTimeoutNs, long ratePerSecond, List<String> headers,
                          TlsConfig tls) {

    /** Validates the configuration. */
    public BenchConfig {
        if (url == null || connections < 1 || threads < 1 || warmupNs < 0 || durationNs <= 0 || pipeline < 1
                || timeoutNs <= 0 || connectTimeoutNs <= 0 || ratePerSecond < 0) {
            throw new IllegalArgumentException("need a URL, connections, threads and pipeline >= 1, a rate >= 0 "
                    + "and positive durations");
        }
        if (url.secure() != (tls != null)) {
            throw new IllegalArgumentException(url.secure() ? "an https URL needs a TLS configuration: " + url
                    : "TLS is for https URLs, not " + url);
        }
        if (connections < threads) {
            throw new IllegalArgumentException("number of connections must be >= threads (" + connections + " < "
                    + threads + ")");
        }
        if (ratePerSecond > 0 && ratePerSecond < threads) {
            throw new IllegalArgumentException("the rate must be at least one request per second per thread");
        }
        headers = List.copyOf(headers);
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0 || !h.substring(0, colon).chars().allMatch(ch -> HttpSyntax.isTchar((byte) ch))
                    || h.chars().anyMatch(ch -> ch == '\r' || ch == '\n' || ch > 0xFF)) {
                throw new IllegalArgumentException("a header is 'Name: value', got '" + h + "'");
            }
        }
    }

    /** The least a TLS handshake is allowed, whatever {@code --timeout} says: see {@link #handshakeTimeoutNs()}. */
    public static final long MIN_HANDSHAKE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Thread: any. How long a connection's TLS handshake may take: the connect timeout, but never under
     * 10 s. A run opens all its connections at once, and the client's half of every handshake (its key
     * share, the server's signature check) runs on its loop threads: 256 of them on a cold JVM took over
     * 2 s, so wrk's 2 s default turned most of the first burst into connect errors and reconnects, each
     * costing another handshake.
     *
     * @return nanoseconds
     */
    public long handshakeTimeoutNs() {
        return Math.max(connectTimeoutNs, MIN_HANDSHAKE_TIMEOUT_NS);
    }

    /**
     * Thread: any. One thread, no warm-up, pipeline 1, closed loop, 2 s timeout, 2 s connect timeout
     * (wrk's defaults); an https URL's certificate is checked against the system trust store.
     *
     * @param url         the URL
     * @param connections connections
     * @param durationNs  duration
     * @return the configuration
     */
    public static BenchConfig of(HttpUrl url, int connections, long durationNs) {
        return new BenchConfig(url, connections, 1, 0, durationNs, 1, TimeUnit.SECONDS.toNanos(2),
                TimeUnit.SECONDS.toNanos(2), 0, List.of(), url.secure() ? TlsFiles.client(url.host(), null, false) : null);
    }

    /**
     * Thread: any.
     *
     * @param depth requests in flight per connection
     * @return a copy with it
     */
    public BenchConfig withPipeline(int depth) {
        return new BenchConfig(url, connections, threads, warmupNs, durationNs, depth, timeoutNs, connectTimeoutNs,
                ratePerSecond, headers, tls);
    }

    /**
     * Thread: any.
     *
     * @param nanos warm-up before measuring
     * @return a copy with it
     */
    public BenchConfig withWarmupNs(long nanos) {
        return new BenchConfig(url, connections, threads, nanos, durationNs, pipeline, timeoutNs, connectTimeoutNs,
                ratePerSecond, headers, tls);
    }

    /**
     * Thread: any.
     *
     * @param n event loops
     * @return a copy with it
     */
    public BenchConfig withThreads(int n) {
        return new BenchConfig(url, connections, n, warmupNs, durationNs, pipeline, timeoutNs, connectTimeoutNs,
                ratePerSecond, headers, tls);
    }

    /**
     * Thread: any.
     *
     * @param perSecond total requests per second, 0 for a closed loop
     * @return a copy with it
     */
    public BenchConfig withRate(long perSecond) {
        return new BenchConfig(url, connections, threads, warmupNs, durationNs, pipeline, timeoutNs, connectTimeoutNs,
                perSecond, headers, tls);
    }

    /**
     * Thread: any.
     *
     * @param lines header lines, {@code Name: value}
     * @return a copy with them
     */
    public BenchConfig withHeaders(List<String> lines) {
        return new BenchConfig(url, connections, threads, warmupNs, durationNs, pipeline, timeoutNs, connectTimeoutNs,
                ratePerSecond, lines, tls);
    }

    /**
     * Thread: any.
     *
     * @param config the client's TLS for an https URL ({@link TlsFiles#client})
     * @return a copy with it
     */
    public BenchConfig withTls(TlsConfig config) {
        return new BenchConfig(url, connections, threads, warmupNs, durationNs, pipeline, timeoutNs, connectTimeoutNs,
                ratePerSecond, headers, config);
    }

    /**
     * Thread: any.
     *
     * @param thread a thread's index
     * @return how many connections that thread opens
     */
    public int connectionsOf(int thread) {
        return (int) RateSchedule.share(connections, threads, thread);
    }

    /**
     * Thread: any.
     *
     * @param thread a thread's index
     * @return that thread's requests per second, 0 for a closed loop
     */
    public long rateOf(int thread) {
        return RateSchedule.share(ratePerSecond, threads, thread);
    }

    /**
     * Thread: any. The request every connection sends, encoded once: a keep-alive GET with the default
     * fields, each replaced by a header of the same name, then the other headers in order.
     *
     * @return the request's bytes (ISO-8859-1)
     */
    public byte[] requestBytes() {
        StringBuilder sb = new StringBuilder("GET ").append(url.requestTarget()).append(" HTTP/1.1\r\n");
        String[][] defaults = {{"Host", url.hostHeader()}, {"User-Agent", HttpRequestWriter.USER_AGENT},
                {"Accept", "*/*"}, {"Connection", "keep-alive"}};
        for (String[] field : defaults) {
            if (headers.stream().noneMatch(h -> nameOf(h).equals(field[0].toLowerCase(Locale.ROOT)))) {
                sb.append(field[0]).append(": ").append(field[1]).append("\r\n");
            }
        }
        for (String h : headers) {
            int colon = h.indexOf(':');
            sb.append(h, 0, colon).append(": ").append(h.substring(colon + 1).trim()).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String nameOf(String header) {
        return header.substring(0, header.indexOf(':')).trim().toLowerCase(Locale.ROOT);
    }
}
