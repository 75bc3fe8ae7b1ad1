/**
 * Sluice: a raw Java NIO event loop. One thread and one {@link java.nio.channels.Selector} multiplex
 * accept, connect, read and write readiness over many sockets.
 *
 * <p>The API is {@link dev.sluice} (the loop, connections, listeners, configuration, counters) and
 * {@link dev.sluice.codec} (pure frame decoders). {@code dev.sluice.internal} is not exported: code in
 * other named modules cannot reach it, at compile time or by reflection. Needs {@code java.base} and
 * {@code jdk.jfr} (its Flight Recorder events); errors the loop survives are logged through
 * {@link java.lang.System.Logger}.
 */
module dev.sluice {
    requires jdk.jfr; // the engine's Flight Recorder events (off unless a recording enables them)

    exports dev.sluice;
    exports dev.sluice.codec;
}
