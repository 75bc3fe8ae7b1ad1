package dev.sluice.samples.echo;

import java.time.Duration;

/**
 * What both echo servers, the event-loop one and its blocking twin, are told.
 *
 * <p>Thread: any (immutable).
 *
 * @param host           the address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port           the port; 0 picks a free one
 * @param mode           what to send back
 * @param maxLineBytes   the longest line accepted in line modes, not counting its terminator
 * @param idleTimeout    close a connection that sent nothing for this long; zero for never
 * @param maxConnections connections served at once; more are refused (reset at once)
 * @param verbose        log every open and close, not only the unusual ones
 */
public record ServerConfig(String host, int port, EchoMode mode, int maxLineBytes, Duration idleTimeout,
                           int maxConnections, boolean verbose) {

    /** The default {@link #maxLineBytes()}. */
    public static final int DEFAULT_MAX_LINE_BYTES = 8192;

    /**
     * Validates the configuration.
     *
     * @throws IllegalArgumentException when a value is out of range
     */
    public ServerConfig {
        if (host == null || mode == null || idleTimeout == null) {
            throw new IllegalArgumentException("host, mode and idleTimeout are required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxLineBytes <= 0 || maxConnections <= 0) {
            throw new IllegalArgumentException("maxLineBytes and maxConnections must be > 0");
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative");
        }
    }

    /**
     * Raw echo on 127.0.0.1, a free port, 8 KiB lines, no idle timeout, at most 10,000 connections.
     *
     * <p>Thread: any.
     *
     * @return the defaults
     */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 0, EchoMode.RAW, DEFAULT_MAX_LINE_BYTES, Duration.ZERO, 10_000, false);
    }

    /**
     * Thread: any.
     *
     * @param newHost the bind address
     * @param newPort the port, 0 for a free one
     * @return a copy bound there
     */
    public ServerConfig withAddress(String newHost, int newPort) {
        return new ServerConfig(newHost, newPort, mode, maxLineBytes, idleTimeout, maxConnections, verbose);
    }

    /**
     * Thread: any.
     *
     * @param newMode the echo mode
     * @return a copy with this mode
     */
    public ServerConfig withMode(EchoMode newMode) {
        return new ServerConfig(host, port, newMode, maxLineBytes, idleTimeout, maxConnections, verbose);
    }

    /**
     * Thread: any.
     *
     * @param bytes the longest line accepted
     * @return a copy with this limit
     */
    public ServerConfig withMaxLineBytes(int bytes) {
        return new ServerConfig(host, port, mode, bytes, idleTimeout, maxConnections, verbose);
    }

    /**
     * Thread: any.
     *
     * @param timeout the idle timeout, zero for none
     * @return a copy with this timeout
     */
    public ServerConfig withIdleTimeout(Duration timeout) {
        return new ServerConfig(host, port, mode, maxLineBytes, timeout, maxConnections, verbose);
    }

    /**
     * Thread: any.
     *
     * @param max connections served at once
     * @return a copy with this maximum
     */
    public ServerConfig withMaxConnections(int max) {
        return new ServerConfig(host, port, mode, maxLineBytes, idleTimeout, max, verbose);
    }

    /**
     * Thread: any.
     *
     * @param on whether to log every open and close
     * @return a copy with this setting
     */
    public ServerConfig withVerbose(boolean on) {
        return new ServerConfig(host, port, mode, maxLineBytes, idleTimeout, maxConnections, on);
    }
}
