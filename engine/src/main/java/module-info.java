/**
 * Sluice: a raw Java NIO event loop. One thread and one {@link java.nio.channels.Selector} multiplex
 * accept, connect, read and write readiness over many sockets.
 *
 * <p>The API is {@link dev.sluice} (the loop, connections, listeners, configuration, counters) and
 * {@link dev.sluice.codec} (pure frame decoders). {@code dev.sluice.internal} is not exported: code in
 * other named modules cannot reach it, at compile time or by reflection. Needs {@code java.base} and
 * {@code jdk.jfr} (its Flight Recorder events) and {@code jdk.net} (TCP keepalive timers); errors the loop survives are logged through
 * {@link java.lang.System.Logger}.
 */
module dev.sluice {
    requires jdk.jfr; // the engine's Flight Recorder events (off unless a recording enables them)
    requires jdk.net; // TCP keepalive's idle, interval and count (jdk.net.ExtendedSocketOptions)

    exports dev.sluice;
    exports dev.sluice.codec;
}
