package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Thread: the test thread only.
 *
 * <p>Records listener events as text, one line per event, with consecutive body chunks merged into
 * one {@code body} line so that the transcript does not depend on how the input was split. Fails with
 * an {@link AssertionError} on events out of the documented order.
 */
final class Recorder implements ResponseListener {

    private enum Phase { IDLE, HEAD, BODY, TRAILERS, DONE }

    private final StringBuilder transcript = new StringBuilder();
    private final ByteArrayOutputStream pendingBody = new ByteArrayOutputStream();
    private final ByteArrayOutputStream wholeBody = new ByteArrayOutputStream();
    private Phase phase = Phase.IDLE;
    private long bodyCalls;

    @Override
    public void onStatus(int statusCode, String reasonPhrase) {
        expect(Phase.IDLE, "onStatus");
        phase = Phase.HEAD;
        transcript.append("status ").append(statusCode).append(' ').append(reasonPhrase).append('\n');
    }

    @Override
    public void onHeader(String name, String value) {
        expect(Phase.HEAD, "onHeader");
        transcript.append("header ").append(name).append(": ").append(value).append('\n');
    }

    @Override
    public void onHeadersComplete() {
        expect(Phase.HEAD, "onHeadersComplete");
        phase = Phase.BODY;
        transcript.append("headers-complete\n");
    }

    @Override
    public void onBody(ByteBuffer chunk) {
        expect(Phase.BODY, "onBody");
        if (!chunk.hasRemaining()) {
            throw new AssertionError("empty body chunk");
        }
        bodyCalls++;
        byte[] bytes = new byte[chunk.remaining()];
        chunk.get(bytes); // consumes the chunk: the parser must still place the caller's position itself
        pendingBody.writeBytes(bytes);
        wholeBody.writeBytes(bytes);
    }

    @Override
    public void onTrailer(String name, String value) {
        if (phase != Phase.TRAILERS) {
            expect(Phase.BODY, "onTrailer");
            flushBody();
            phase = Phase.TRAILERS;
        }
        transcript.append("trailer ").append(name).append(": ").append(value).append('\n');
    }

    @Override
    public void onComplete() {
        if (phase != Phase.TRAILERS) {
            expect(Phase.BODY, "onComplete");
        }
        flushBody();
        phase = Phase.DONE;
        transcript.append("complete\n");
    }

    /** Prepares for the next response on the same connection. */
    void next() {
        expect(Phase.DONE, "next");
        phase = Phase.IDLE;
        wholeBody.reset();
    }

    boolean isDone() {
        return phase == Phase.DONE;
    }

    long bodyCalls() {
        return bodyCalls;
    }

    byte[] body() {
        return wholeBody.toByteArray();
    }

    /** Takes the events recorded so far, including body bytes not yet flushed. */
    String drain() {
        flushBody();
        String text = transcript.toString();
        transcript.setLength(0);
        return text;
    }

    private void flushBody() {
        if (pendingBody.size() > 0) {
            transcript.append("body ").append(new String(pendingBody.toByteArray(), ISO_8859_1)).append('\n');
            pendingBody.reset();
        }
    }

    private void expect(Phase expected, String event) {
        if (phase != expected) {
            throw new AssertionError(event + " in phase " + phase + ", expected " + expected);
        }
    }
}
