package dev.sluice.samples.http;

import javax.net.ssl.SSLContext;
import dev.sluice.samples.CliException;
import dev.sluice.samples.Durations;
import dev.sluice.samples.support.TlsTrustOptions;
import dev.sluice.samples.http.FetchResult.Failure;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Thread: {@link #call()} on the thread that runs the command; it waits for the client's loop.
 *
 * <p>{@code fetch URL...}: GET each URL in turn and print its body, like {@code curl -s}; or with
 * {@code --urls FILE}, fetch many URLs at once over one loop with a keep-alive pool per host and
 * print one line per URL and a summary. Exit code 0 when every fetch succeeded, 1 when any failed
 * (the reason is printed per URL), 2 for a usage error.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Fetch http:// and https:// URLs over the Sluice event loop.",
                "With URLs: print each body to stdout (like curl -s).",
                "With --urls FILE: fetch them concurrently, one line per URL (status, bytes, ms) and a summary."})
public final class FetchCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "URL", description = "http:// or https:// URLs to fetch")
    List<String> urls = new ArrayList<>();

    @Option(names = {"-i", "--include"}, description = "Include the status line and header fields in the output.")
    boolean include;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the body (bodies, in order) to FILE.")
    Path output;

    @Option(names = {"-v", "--verbose"}, description = "Print timing (DNS, connect, first byte, total) to stderr.")
    boolean verbose;

    @Option(names = {"-L", "--location"}, description = "Follow redirects.")
    boolean followRedirects;

    @Option(names = "--max-redirs", defaultValue = "10", paramLabel = "N", description = "Most redirects to follow (default: ${DEFAULT-VALUE}).")
    int maxRedirects;

    @Option(names = "--urls", paramLabel = "FILE", description = "Fetch the URLs in FILE (one per line, # comments).")
    Path urlsFile;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "16", paramLabel = "N", description = "Fetches in flight with --urls (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--connect-timeout", defaultValue = "10s", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "Connect timeout (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--first-byte-timeout", defaultValue = "30s", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "Time allowed from sending a request to its first response byte (default: ${DEFAULT-VALUE}).")
    Duration firstByteTimeout;

    @Option(names = {"-m", "--max-time"}, defaultValue = "0", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "Time allowed for each whole fetch, 0 for no limit (default: ${DEFAULT-VALUE}).")
    Duration maxTime;

    @Option(names = {"-f", "--fail"}, description = "Count HTTP statuses of 400 and above as failures.")
    boolean failOnHttpError;

    /** For https: --cacert, -k. */
    @Mixin
    TlsTrustOptions tls;

    private final PrintStream out;
    private final PrintStream err;

    /** Thread: any. Prints to {@code System.out} and {@code System.err}. */
    public FetchCommand() {
        this(System.out, System.err);
    }

    /**
     * Thread: any.
     *
     * @param out where bodies and result lines go
     * @param err where errors and timings go
     */
    public FetchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Thread: the command's thread.
     *
     * @return 0 when every fetch succeeded, 1 when one failed, 2 for a usage error
     */
    @Override
    public Integer call() {
        if (urls.isEmpty() && urlsFile == null) {
            return usage("no URL given (see fetch --help)");
        }
        if (concurrency < 1 || maxRedirects < 0) {
            return usage("--concurrency must be at least 1 and --max-redirs at least 0");
        }
        if (urlsFile != null && (output != null || include)) {
            return usage("-o and -i print bodies; they cannot be used with --urls");
        }
        SSLContext trust; // null: the system trust store, loaded only if a URL is https
        try {
            trust = tls.given() ? tls.context() : null;
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (CliException e) {
            err.println("fetch: " + e.getMessage());
            return 1;
        }
        FetchOptions options = FetchOptions.defaults()
                .withTimeouts(connectTimeout.toNanos(), firstByteTimeout.toNanos(), maxTime.toNanos())
                .withRedirects(followRedirects, maxRedirects)
                .withTls(trust, tls.insecure());
        List<String> all = new ArrayList<>(urls);
        if (urlsFile != null) {
            try {
                for (String line : Files.readAllLines(urlsFile, StandardCharsets.UTF_8)) {
                    String u = line.strip();
                    if (!u.isEmpty() && !u.startsWith("#")) {
                        all.add(u);
                    }
                }
            } catch (IOException e) {
                err.println("fetch: cannot read " + urlsFile + ": " + FetchClient.describe(e));
                return 1;
            }
        }
        try (FetchClient client = FetchClient.start(options)) {
            return urlsFile != null ? fetchConcurrently(client, all) : fetchInTurn(client, all);
        }
    }

    private int usage(String message) {
        err.println("fetch: " + message);
        return 2;
    }

    /** curl -s style: bodies to the output, in URL order, one fetch at a time. */
    private int fetchInTurn(FetchClient client, List<String> all) {
        OutputStream sink;
        try {
            sink = output == null ? out : new BufferedOutputStream(Files.newOutputStream(output), 64 * 1024);
        } catch (IOException e) {
            err.println("fetch: cannot write " + output + ": " + FetchClient.describe(e));
            return 1;
        }
        boolean failed = false;
        try {
            for (String text : all) {
                HttpUrl url = parse(text);
                if (url == null) {
                    failed = true;
                    continue;
                }
                FetchResult r = client.fetch(url, new BodyWriter(sink)).join();
                sink.flush();
                if (verbose) {
                    FetchResult.Timings t = r.timings();
                    err.printf(Locale.ROOT, "* %s: %s; dns %s, connect %s%s, first byte %s, total %s%n", url,
                            r.ok() ? r.status() + ", " + r.bodyBytes() + " bytes" + redirects(r) : "failed",
                            phase(t.dnsNs()), phase(t.connectNs()), r.reusedConnection() ? " (reused)" : "",
                            phase(t.firstByteNs()), phase(t.totalNs()));
                }
                failed |= report(r);
            }
        } catch (IOException e) {
            err.println("fetch: cannot write the output: " + FetchClient.describe(e));
            failed = true;
        } finally {
            if (output != null) {
                try {
                    sink.close();
                } catch (IOException e) {
                    err.println("fetch: cannot write " + output + ": " + FetchClient.describe(e));
                    failed = true;
                }
            }
        }
        return failed ? 1 : 0;
    }

    /** Many URLs over one loop, at most {@code concurrency} at once; results printed as they finish. */
    private int fetchConcurrently(FetchClient client, List<String> all) {
        long startNs = System.nanoTime();
        BlockingQueue<FetchResult> finished = new LinkedBlockingQueue<>();
        int next = 0;
        int inFlight = 0;
        int ok = 0;
        int failed = 0;
        long bytes = 0;
        while (next < all.size() || inFlight > 0) {
            while (next < all.size() && inFlight < concurrency) {
                HttpUrl url = parse(all.get(next++));
                if (url == null) {
                    failed++;
                    continue;
                }
                inFlight++;
                client.fetch(url, FetchListener.DISCARD).thenAccept(finished::add);
            }
            if (inFlight == 0) {
                continue;
            }
            FetchResult r;
            try {
                r = finished.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("fetch: interrupted");
                return 1;
            }
            inFlight--;
            bytes += r.bodyBytes();
            String ms = Units.millis(r.timings().totalNs());
            if (r.ok()) {
                out.printf(Locale.ROOT, "%-4d %12d B %10s  %s%s%n", r.status(), r.bodyBytes(), ms, r.url(), redirects(r));
            } else {
                out.printf(Locale.ROOT, "FAIL %14s %10s  %s  %s%n", r.failure().kind(), ms, r.url(), r.failure().message());
            }
            if (failedFetch(r)) {
                failed++;
            } else {
                ok++;
            }
        }
        double seconds = (System.nanoTime() - startNs) / 1e9;
        out.printf(Locale.ROOT, "%d URLs in %.2f s: %d ok, %d failed; %s of bodies; %.1f URLs/s; %d connections opened%n",
                all.size(), seconds, ok, failed, Units.bytes(bytes), all.size() / seconds, client.connectionsOpened());
        return failed > 0 ? 1 : 0;
    }

    private HttpUrl parse(String text) {
        try {
            return HttpUrl.parse(text);
        } catch (IllegalArgumentException e) {
            if (urlsFile != null) {
                out.printf(Locale.ROOT, "FAIL %14s %10s  %s  %s%n", Failure.Kind.BAD_URL, "-", text, e.getMessage());
            } else {
                err.println("fetch: " + e.getMessage());
            }
            return null;
        }
    }

    /** Prints why a fetch failed, on one line. @return whether it failed */
    private boolean report(FetchResult r) {
        if (!r.ok()) {
            err.println("fetch: " + r.url() + ": " + r.failure().message());
            return true;
        }
        if (failedFetch(r)) {
            err.println("fetch: " + r.finalUrl() + ": HTTP status " + r.status());
            return true;
        }
        return false;
    }

    private boolean failedFetch(FetchResult r) {
        return !r.ok() || (failOnHttpError && r.status() >= 400);
    }

    private static String redirects(FetchResult r) {
        return r.redirects() == 0 ? "" : " (after " + r.redirects() + " redirect" + (r.redirects() == 1 ? "" : "s")
                + " to " + r.finalUrl() + ")";
    }

    private static String phase(long nanos) {
        return nanos < 0 ? "-" : Units.millis(nanos);
    }

    /**
     * Thread: the client's loop thread. Writes heads (with -i) and the final body to the sink. The write
     * blocks the loop while the sink is slow, which only this one fetch is waiting on.
     */
    private final class BodyWriter implements FetchListener {
        private final OutputStream sink;
        private final byte[] scratch = new byte[16 * 1024];

        BodyWriter(OutputStream sink) {
            this.sink = sink;
        }

        @Override
        public void onResponseHead(HttpUrl url, ResponseHead head, boolean redirect) {
            if (include) {
                try {
                    sink.write(head.toText().getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }

        @Override
        public void onBody(ByteBuffer chunk) throws IOException {
            while (chunk.hasRemaining()) {
                int n = Math.min(scratch.length, chunk.remaining());
                chunk.get(scratch, 0, n);
                sink.write(scratch, 0, n);
            }
        }
    }
}
