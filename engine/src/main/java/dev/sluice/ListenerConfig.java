package dev.sluice;

/**
 * How a listener accepts: the kernel backlog, how many connections to accept per readiness event, the
 * maximum number of open connections, and the configuration every accepted connection gets.
 *
 * <p>Thread: any (immutable).
 *
 * @param backlog          the {@code listen(2)} backlog
 * @param acceptBatch      connections accepted per readiness event before the loop serves others
 * @param maxConnections   connections open at once from this listener; beyond it new connections are
 *                         accepted and closed at once (counted as rejected)
 * @param connectionConfig configuration for each accepted connection
 */
public record ListenerConfig(int backlog, int acceptBatch, int maxConnections, ConnectionConfig connectionConfig) {

    /**
     * Validates every field.
     *
     * @param backlog see the record description
     * @param acceptBatch see the record description
     * @param maxConnections see the record description
     * @param connectionConfig see the record description
     * @throws IllegalArgumentException naming the value out of range
     */
    public ListenerConfig {
        if (backlog <= 0 || acceptBatch <= 0 || maxConnections <= 0) {
            throw new IllegalArgumentException("backlog, acceptBatch and maxConnections must be > 0");
        }
        if (connectionConfig == null) {
            throw new IllegalArgumentException("connectionConfig is required");
        }
    }

    /**
     * Backlog 1024, accept batch 64, at most 100,000 connections, {@link ConnectionConfig#defaults()}.
     *
     * <p>Thread: any.
     *
     * @return the defaults
     */
    public static ListenerConfig defaults() {
        return new ListenerConfig(1024, 64, 100_000, ConnectionConfig.defaults());
    }

    /**
     * Thread: any.
     *
     * @param max maximum open connections
     * @return a copy with this maximum
     */
    public ListenerConfig withMaxConnections(int max) {
        return new ListenerConfig(backlog, acceptBatch, max, connectionConfig);
    }

    /**
     * Thread: any.
     *
     * @param n the listen backlog
     * @return a copy with this backlog
     */
    public ListenerConfig withBacklog(int n) {
        return new ListenerConfig(n, acceptBatch, maxConnections, connectionConfig);
    }

    /**
     * Thread: any.
     *
     * @param n connections accepted per readiness event
     * @return a copy with this batch size
     */
    public ListenerConfig withAcceptBatch(int n) {
        return new ListenerConfig(backlog, n, maxConnections, connectionConfig);
    }

    /**
     * Thread: any.
     *
     * @param config configuration for accepted connections
     * @return a copy with this connection configuration
     */
    public ListenerConfig withConnectionConfig(ConnectionConfig config) {
        return new ListenerConfig(backlog, acceptBatch, maxConnections, config);
    }
}
