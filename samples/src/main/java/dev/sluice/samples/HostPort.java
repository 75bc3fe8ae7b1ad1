package dev.sluice.samples;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A {@code HOST:PORT} as typed: {@code localhost:7000}, {@code 10.0.0.5:7000}, {@code [::1]:7000}, or
 * just {@code 7000} for {@code 127.0.0.1:7000}.
 *
 * <p>Thread: any (immutable).
 *
 * @param host the host name or literal address
 * @param port the port
 */
public record HostPort(String host, int port) {

    /**
     * Thread: any.
     *
     * @param text the address as typed
     * @return the parsed address, not resolved
     * @throws IllegalArgumentException when it is not {@code HOST:PORT}
     */
    public static HostPort parse(String text) {
        return parse(text, 0);
    }

    /**
     * Like {@link #parse} for an address to connect to, where port 0 means nothing.
     *
     * <p>Thread: any.
     *
     * @param text the address as typed
     * @return the parsed address, not resolved
     * @throws IllegalArgumentException when it is not {@code HOST:PORT} with a port 1..65535
     */
    public static HostPort parseTarget(String text) {
        return parse(text, 1);
    }

    private static HostPort parse(String text, int minPort) {
        String s = text.trim();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("expected [IPv6]:PORT, got '" + text + "'");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else if (s.indexOf(':') >= 0) {
            host = s.substring(0, s.lastIndexOf(':'));
            port = s.substring(s.lastIndexOf(':') + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("write IPv6 addresses as [ADDRESS]:PORT, got '" + text + "'");
            }
        } else {
            host = "127.0.0.1";
            port = s;
        }
        if (host.isEmpty()) {
            host = "127.0.0.1";
        }
        return new HostPort(host, parsePort(port, text, minPort));
    }

    /**
     * Resolves the host; this may block on DNS, so never call it on an event loop thread.
     *
     * <p>Thread: any but a loop's.
     *
     * @return the resolved address
     * @throws CliException when the host is unknown
     */
    public InetSocketAddress resolve() {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new CliException("unknown host '" + host + "'", e);
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    static int parsePort(String port, String text, int minPort) {
        try {
            int p = Integer.parseInt(port);
            if (p < minPort || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected HOST:PORT with a port " + minPort + "..65535, got '" + text + "'");
        }
    }
}
