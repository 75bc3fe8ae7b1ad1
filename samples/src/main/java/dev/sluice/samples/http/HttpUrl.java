package dev.sluice.samples.http;

import java.util.Locale;

/**
 * Thread: any; instances are immutable.
 *
 * <p>An {@code http} or {@code https} URL, split into the parts a client needs: where to connect, whether
 * with TLS, and what to put in the request line and {@code Host} field. The fragment is
 * dropped because it is never sent (RFC 9110 §4.2.1 and RFC 3986 §3.5), and userinfo is refused
 * (RFC 9110 §4.2.4 deprecates it).
 *
 * <p>The canonical constructor validates every component against RFC 3986 (path and query may hold
 * only pchar, "/", "?" and well-formed percent-encodings), so no instance can smuggle a space, CR or
 * LF into a request line or header; the request writer relies on that.
 *
 * @param host the host name or IP literal; IPv6 literals without brackets (for example {@code ::1})
 * @param port the TCP port, 1..65535
 * @param path the absolute path, starting with {@code /}, percent-encoding left as received
 * @param query the query without its {@code ?}, or {@code null} when the URL has no {@code ?}
 * @param secure {@code https}: TLS to the host, its certificate verified against the host name
 */
public record HttpUrl(String host, int port, String path, String query, boolean secure) {

    /** Thread: any. The port used when an {@code http} URL names none (RFC 9110 §4.2.1). */
    public static final int DEFAULT_PORT = 80;
    /** Thread: any. The port used when an {@code https} URL names none (RFC 9110 §4.2.2). */
    public static final int DEFAULT_TLS_PORT = 443;

    /**
     * Thread: any. An {@code http} URL; see the canonical constructor.
     *
     * @param host the host name or IP literal
     * @param port the TCP port, 1..65535
     * @param path the absolute path, starting with {@code /}
     * @param query the query without its {@code ?}, or {@code null}
     */
    public HttpUrl(String host, int port, String path, String query) {
        this(host, port, path, query, false);
    }

    /**
     * Thread: any. Validates the components; see {@link #parse} for the accepted syntax.
     *
     * @param host the host name or IP literal; IPv6 literals without brackets
     * @param port the TCP port, 1..65535
     * @param path the absolute path, starting with {@code /}
     * @param query the query without its {@code ?}, or {@code null}
     * @param secure {@code https}: TLS to the host, verified against its name
     * @throws IllegalArgumentException if a component is empty, malformed, or holds a character
     *     that cannot appear in a request line unencoded
     */
    public HttpUrl {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("missing host");
        }
        if (host.indexOf(':') >= 0) {
            if (!isIpv6Literal(host)) {
                throw new IllegalArgumentException("malformed IPv6 address: " + host);
            }
        } else {
            checkRegName(host);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1..65535: " + port);
        }
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        checkTargetChars(path, "path", '?');
        if (query != null) {
            checkTargetChars(query, "query", -1);
        }
    }

    /**
     * Thread: any. Parses {@code http[s]://host[:port][/path][?query][#fragment]}; the scheme is
     * case-insensitive, an empty path becomes {@code /}, an absent or empty port means 80 (443 for
     * {@code https}), and
     * IPv6 literals go in brackets ({@code http://[::1]:8080/x}).
     *
     * @param url the URL text
     * @return the parsed URL
     * @throws IllegalArgumentException with a message naming the problem: another scheme, userinfo, a bad host or port, or characters that need percent-encoding
     */
    public static HttpUrl parse(String url) {
        int colon = schemeEnd(url);
        if (colon < 0) {
            throw new IllegalArgumentException("not an absolute http URL (no scheme): " + url);
        }
        String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("unsupported scheme '" + scheme + "' (only http and https): " + url);
        }
        if (!url.startsWith("//", colon + 1)) {
            throw new IllegalArgumentException("expected '//' after '" + scheme + ":': " + url);
        }
        int authorityStart = colon + 3;
        int authorityEnd = indexOfAny(url, "/?#", authorityStart);
        String authority = url.substring(authorityStart, authorityEnd);
        try {
            return withAuthority(authority, url.substring(authorityEnd), scheme.equals("https"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in URL: " + url, e);
        }
    }

    /**
     * Thread: any. Resolves a {@code Location} value (RFC 9110 §10.2.2) against this URL following
     * RFC 3986 §5.2: an absolute URL, a network-path ({@code //host/p}), an absolute path, a query
     * only, or a relative path, with dot segments removed.
     *
     * @param location the reference to resolve
     * @return the target URL
     * @throws IllegalArgumentException if the result is not a valid http or https URL
     */
    public HttpUrl resolve(String location) {
        if (schemeEnd(location) >= 0) {
            return parse(location);
        }
        if (location.startsWith("//")) {
            return parse(scheme() + ":" + location);
        }
        int hash = location.indexOf('#');
        String ref = hash >= 0 ? location.substring(0, hash) : location;
        int question = ref.indexOf('?');
        String refPath = question >= 0 ? ref.substring(0, question) : ref;
        String refQuery = question >= 0 ? ref.substring(question + 1) : null;
        if (refPath.isEmpty()) {
            return new HttpUrl(host, port, path, question >= 0 ? refQuery : query, secure);
        }
        String merged = refPath.startsWith("/") ? refPath : path.substring(0, path.lastIndexOf('/') + 1) + refPath;
        return new HttpUrl(host, port, removeDotSegments(merged), refQuery, secure);
    }

    /**
     * Thread: any.
     *
     * @return the {@code Host} field value (RFC 9110 §7.2): the host, bracketed if IPv6, with
     *     {@code :port} only when the port is not 80
     */
    public String hostHeader() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == defaultPort() ? h : h + ":" + port;
    }

    /**
     * Thread: any.
     *
     * @return the origin-form request target (RFC 9112 §3.2.1): the path, then {@code ?query} if any
     */
    public String requestTarget() {
        return query == null ? path : path + "?" + query;
    }

    /**
     * Thread: any.
     *
     * @return the URL in text form, parseable by {@link #parse}
     */
    @Override
    public String toString() {
        return scheme() + "://" + hostHeader() + requestTarget();
    }

    /**
     * Thread: any.
     *
     * @return {@code "https"} or {@code "http"}
     */
    public String scheme() {
        return secure ? "https" : "http";
    }

    /**
     * Thread: any.
     *
     * @return the port the scheme implies: 443 for {@code https}, 80 for {@code http}
     */
    public int defaultPort() {
        return secure ? DEFAULT_TLS_PORT : DEFAULT_PORT;
    }

    private static HttpUrl withAuthority(String authority, String rest, boolean secure) {
        if (authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("userinfo (user@host) is not supported");
        }
        String host;
        String portText;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' after IPv6 address");
            }
            host = authority.substring(1, close);
            if (host.indexOf('%') >= 0) {
                throw new IllegalArgumentException("IPv6 zone identifiers are not supported");
            }
            if (close + 1 < authority.length() && authority.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("unexpected characters after ']'");
            }
            portText = close + 1 < authority.length() ? authority.substring(close + 2) : "";
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("IPv6 address must be enclosed in brackets");
            }
            host = colon >= 0 ? authority.substring(0, colon) : authority;
            portText = colon >= 0 ? authority.substring(colon + 1) : "";
        }
        int hash = rest.indexOf('#');
        String target = hash >= 0 ? rest.substring(0, hash) : rest;
        int question = target.indexOf('?');
        String path = question >= 0 ? target.substring(0, question) : target;
        String query = question >= 0 ? target.substring(question + 1) : null;
        int port = portText.isEmpty() ? (secure ? DEFAULT_TLS_PORT : DEFAULT_PORT) : parsePort(portText);
        return new HttpUrl(host, port, path.isEmpty() ? "/" : path, query, secure);
    }

    private static int parsePort(String text) {
        if (text.isEmpty()) {
            return DEFAULT_PORT; // RFC 3986 §3.2.3: an empty port means the scheme's default
        }
        if (text.length() > 5) {
            throw new IllegalArgumentException("bad port '" + text + "'");
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("bad port '" + text + "'");
            }
            port = port * 10 + (c - '0');
        }
        return port;
    }

    /** RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'. */
    private static int schemeEnd(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (c == ':') {
                return i > 0 ? i : -1;
            }
            if (!alpha && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) {
                return -1;
            }
        }
        return -1;
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    /** Host names: RFC 3986 §3.2.2 unreserved characters; percent-encoded names are refused. */
    private static void checkRegName(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!ok) {
                throw new IllegalArgumentException("bad character '" + printable(c) + "' in host '" + host + "'");
            }
        }
    }

    /**
     * RFC 3986 §3.3 and §3.4: pchar, "/" and, in the query, "?"; "%" must start a pct-encoded
     * octet (§2.1). Everything else (SP, CTL, non-ASCII, quotes, braces) must arrive percent-encoded,
     * which also keeps the request line unbreakable.
     */
    private static void checkTargetChars(String s, String what, int forbidden) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (c != forbidden && "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0);
            if (c == '%') {
                if (i + 2 >= s.length() || !isHex(s.substring(i + 1, i + 3))) {
                    throw new IllegalArgumentException("'%' not followed by two hex digits in " + what + ": " + s);
                }
            } else if (!ok) {
                throw new IllegalArgumentException(
                        "character '" + printable(c) + "' in " + what + " must be percent-encoded: " + s);
            }
        }
    }

    private static String printable(char c) {
        return c > ' ' && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    /** RFC 4291 §2.2 text forms: eight hex groups, one "::" for a zero run, an optional IPv4 tail. */
    static boolean isIpv6Literal(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        if (gap < 0) {
            return countGroups(s, true) == 8;
        }
        int head = gap == 0 ? 0 : countGroups(s.substring(0, gap), false);
        int tail = gap + 2 == s.length() ? 0 : countGroups(s.substring(gap + 2), true);
        return head >= 0 && tail >= 0 && head + tail <= 7;
    }

    /** Counts 16-bit groups in a ':'-separated run (an IPv4 tail counts two), or -1 if malformed. */
    private static int countGroups(String run, boolean ipv4TailAllowed) {
        String[] parts = run.split(":", -1);
        int groups = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (ipv4TailAllowed && i == parts.length - 1 && p.indexOf('.') >= 0) {
                if (!isIpv4(p)) {
                    return -1;
                }
                groups += 2;
            } else if (p.isEmpty() || p.length() > 4 || !isHex(p)) {
                return -1;
            } else {
                groups++;
            }
        }
        return groups;
    }

    private static boolean isHex(String p) {
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv4(String p) {
        String[] octets = p.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return true;
    }

    /** RFC 3986 §5.2.4, written as the RFC's loop over an input buffer. */
    static String removeDotSegments(String path) {
        String in = path;
        StringBuilder out = new StringBuilder(path.length());
        while (!in.isEmpty()) {
            if (in.startsWith("../")) {
                in = in.substring(3);
            } else if (in.startsWith("./")) {
                in = in.substring(2);
            } else if (in.startsWith("/./")) {
                in = in.substring(2);
            } else if (in.equals("/.")) {
                in = "/";
            } else if (in.startsWith("/../")) {
                in = in.substring(3);
                out.setLength(Math.max(out.lastIndexOf("/"), 0));
            } else if (in.equals("/..")) {
                in = "/";
                out.setLength(Math.max(out.lastIndexOf("/"), 0));
            } else if (in.equals(".") || in.equals("..")) {
                in = "";
            } else {
                int next = in.indexOf('/', 1);
                next = next < 0 ? in.length() : next;
                out.append(in, 0, next);
                in = in.substring(next);
            }
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
