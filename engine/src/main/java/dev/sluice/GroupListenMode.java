package dev.sluice;

/**
 * How an {@link EventLoopGroup} spreads the connections of one listening address over its loops.
 *
 * <table>
 *   <caption>The two modes</caption>
 *   <tr><th></th><th>{@link #REUSE_PORT}</th><th>{@link #HAND_OFF}</th></tr>
 *   <tr><td>sockets</td><td>one listening socket per loop, all bound with {@code SO_REUSEPORT}</td>
 *       <td>one, on loop 0, the acceptor</td></tr>
 *   <tr><td>who picks the loop</td><td>the kernel, by a hash of the connection's addresses and ports</td>
 *       <td>the acceptor: the loop with the fewest open connections (plus those on their way)</td></tr>
 *   <tr><td>cost per connection</td><td>nothing extra: each loop accepts its own</td>
 *       <td>one accept on loop 0, one task through the target loop's queue, often one wakeup</td></tr>
 *   <tr><td>balance</td><td>statistical: even on average, lumpy with few connections, and blind to
 *       load (a busy or stuck loop keeps getting its share)</td>
 *       <td>by open-connection count: even at any moment, but blind to how busy each connection is</td></tr>
 *   <tr><td>failure</td><td>a loop that fails closes its socket; the kernel spreads over the rest</td>
 *       <td>if loop 0 fails the listener stops accepting</td></tr>
 *   <tr><td>{@link ListenerConfig#maxConnections()}</td><td>per loop's socket (the kernel chooses a
 *       socket before any loop could see the total)</td><td>for the whole group, exactly</td></tr>
 *   <tr><td>where it works</td><td>Linux 3.9+ (and where the JDK reports the option); any process of the
 *       same user can bind the same port and take a share; closing one socket resets connections still
 *       in its own accept queue (socket(7); Linux 5.14+ can migrate them with
 *       {@code net.ipv4.tcp_migrate_req})</td><td>everywhere</td></tr>
 * </table>
 *
 * <p>Where {@code SO_REUSEPORT} is not supported the group uses {@link #HAND_OFF} and says so in
 * {@link GroupListener#mode()} and {@link GroupListener#fallbackReason()}.
 *
 * <p>Thread: any (immutable).
 */
public enum GroupListenMode {
    /** One socket per loop with {@code SO_REUSEPORT}; the kernel spreads connections by hash. */
    REUSE_PORT,
    /** One acceptor on loop 0 hands each connection to the loop with the fewest open connections. */
    HAND_OFF
}
