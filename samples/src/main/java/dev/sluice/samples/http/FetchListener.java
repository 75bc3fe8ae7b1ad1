package dev.sluice.samples.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Thread: every method is called on the {@link FetchClient}'s loop thread; it must not block for
 * long, since every other fetch on the loop waits meanwhile.
 *
 * <p>Hears what one fetch receives: each response head (redirects included) and the body of the
 * final response. Bodies of redirect responses are discarded.
 */
public interface FetchListener {

    /** Thread: any. A listener that ignores everything; the fetch still counts the body bytes. */
    FetchListener DISCARD = new FetchListener() {
    };

    /**
     * Thread: the client's loop thread. A response head arrived.
     *
     * @param url      the URL it answers
     * @param head     the status line and fields
     * @param redirect whether the client follows it to another URL (its body is then discarded)
     */
    default void onResponseHead(HttpUrl url, ResponseHead head, boolean redirect) {
    }

    /**
     * Thread: the client's loop thread. Body bytes of the final response, chunked framing removed.
     *
     * @param chunk the bytes, valid only during the call
     * @throws IOException to abandon the fetch (for example, the output could not be written); the fetch
     *     then fails with {@link FetchResult.Failure.Kind#OUTPUT}
     */
    default void onBody(ByteBuffer chunk) throws IOException {
    }
}
