package dev.sluice.samples.http;

import dev.sluice.Scheduled;
import java.util.concurrent.CompletableFuture;

/**
 * Thread: the client's loop thread only, except {@link #future}.
 *
 * <p>One fetch in progress: the URL of the current hop, when each phase ended, the redirect count and
 * the future the caller waits on. A fetch finishes exactly once ({@link #done}); every later event
 * about it (a resolution that completes after its timeout, a close after its failure) is ignored.
 */
final class Exchange {
    /** A phase not reached yet; System.nanoTime() may be any long, so the sentinel is the least likely one. */
    static final long NOT_YET = Long.MIN_VALUE;

    final HttpUrl requested;
    final FetchListener listener;
    final CompletableFuture<FetchResult> future = new CompletableFuture<>();

    HttpUrl url;
    long startNs;
    boolean hasTotalDeadline;
    /** Absolute loop-clock deadline for the whole fetch, when {@link #hasTotalDeadline}. */
    long totalDeadlineNs;
    long dnsDoneNs = NOT_YET;
    long connectedNs = NOT_YET;
    long firstByteNs = NOT_YET;
    int redirects;
    boolean reused;
    boolean retried;
    boolean done;
    /** The total timeout while no connection carries the exchange (waiting for resolution). */
    Scheduled waitTimer;

    // The current hop's response.
    int status;
    boolean redirecting;
    String location;
    long bodyBytes;

    Exchange(HttpUrl url, FetchListener listener) {
        this.requested = url;
        this.url = url;
        this.listener = listener;
    }

    /** Forgets the previous hop's response before the next request. */
    void startHop() {
        status = 0;
        redirecting = false;
        location = null;
        bodyBytes = 0;
        firstByteNs = NOT_YET;
        connectedNs = NOT_YET;
        reused = false;
    }

    FetchResult result(long nowNs, FetchResult.Failure failure) {
        FetchResult.Timings timings = new FetchResult.Timings(since(dnsDoneNs), since(connectedNs), since(firstByteNs),
                nowNs - startNs);
        return new FetchResult(requested, url, failure == null ? status : 0, bodyBytes, redirects, reused, timings,
                failure);
    }

    private long since(long stampNs) {
        return stampNs == NOT_YET ? -1 : stampNs - startNs;
    }
}
