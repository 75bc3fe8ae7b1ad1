package dev.sluice.samples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class HttpUrlTest {

    @Test
    void shouldDefaultThePortToEightyAndThePathToSlash() {
        HttpUrl url = HttpUrl.parse("http://example.com");
        assertEquals(new HttpUrl("example.com", 80, "/", null), url);
        assertEquals("example.com", url.hostHeader());
        assertEquals("/", url.requestTarget());
        assertEquals("http://example.com/", url.toString());
    }

    @Test
    void shouldSplitPortPathAndQueryAndDropTheFragment() {
        HttpUrl url = HttpUrl.parse("HTTP://Example.com:8080/a/b%20c?x=1&y=/?#frag");
        assertEquals(new HttpUrl("Example.com", 8080, "/a/b%20c", "x=1&y=/?"), url);
        assertEquals("Example.com:8080", url.hostHeader());
        assertEquals("/a/b%20c?x=1&y=/?", url.requestTarget());
        assertEquals(url, HttpUrl.parse(url.toString()));
    }

    @Test
    void shouldOmitAnExplicitDefaultPortAndAcceptAnEmptyOne() {
        assertEquals("h", HttpUrl.parse("http://h:80/").hostHeader());
        assertEquals(80, HttpUrl.parse("http://h:/x").port());
        assertEquals(new HttpUrl("h", 80, "/", "q"), HttpUrl.parse("http://h?q"));
        assertEquals(new HttpUrl("h", 80, "/", ""), HttpUrl.parse("http://h/?"));
    }

    @Test
    void shouldParseIpv6LiteralsAndBracketThemInTheHostHeader() {
        HttpUrl url = HttpUrl.parse("http://[::1]:8080/x");
        assertEquals(new HttpUrl("::1", 8080, "/x", null), url);
        assertEquals("[::1]:8080", url.hostHeader());
        assertEquals("http://[::1]:8080/x", url.toString());
        assertEquals("[2001:db8::1]", HttpUrl.parse("http://[2001:db8::1]").hostHeader());
        assertEquals("::ffff:192.0.2.1", HttpUrl.parse("http://[::ffff:192.0.2.1]:81/").host());
        assertEquals(80, HttpUrl.parse("http://[::1]:/").port());
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
        "FE80::a:B", "::ffff:1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "abcd::1.2.3.4"})
    void shouldAcceptIpv6TextForms(String address) {
        assertTrue(HttpUrl.isIpv6Literal(address), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", ":::", "12345::", "g::", "::1.2.3",
        "::256.1.1.1", "1.2.3.4::", ":1::", "::1:", "1:2:3:4:5:6:7:8::", "1:2:3:4:5:6:7:1.2.3.4", "::01.2.3.4x"})
    void shouldRejectMalformedIpv6(String address) {
        assertTrue(!HttpUrl.isIpv6Literal(address), address);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https:/x                   | expected '//' after 'https:': https:/x",
        "ftp://example.com/         | unsupported scheme 'ftp' (only http and https): ftp://example.com/",
        "example.com/x              | not an absolute http URL (no scheme): example.com/x",
        "http:/x                    | expected '//' after 'http:': http:/x",
        "http://                    | missing host in URL: http://",
        "http://:8080/              | missing host in URL: http://:8080/",
        "http://user:pw@h/          | userinfo (user@host) is not supported in URL: http://user:pw@h/",
        "http://h:99999/            | port out of range 1..65535: 99999 in URL: http://h:99999/",
        "http://h:0/                | port out of range 1..65535: 0 in URL: http://h:0/",
        "http://h:8x/               | bad port '8x' in URL: http://h:8x/",
        "http://h:123456/           | bad port '123456' in URL: http://h:123456/",
        "http://[::1/               | missing ']' after IPv6 address in URL: http://[::1/",
        "http://[::1]x/             | unexpected characters after ']' in URL: http://[::1]x/",
        "http://::1/                | IPv6 address must be enclosed in brackets in URL: http://::1/",
        "http://[1:2:3]/            | malformed IPv6 address: 1:2:3 in URL: http://[1:2:3]/",
        "http://[fe80::1%25eth0]/   | IPv6 zone identifiers are not supported in URL: http://[fe80::1%25eth0]/",
        "http://bad!host/           | bad character '!' in host 'bad!host' in URL: http://bad!host/",
        "http://h/a\"b              | character '\"' in path must be percent-encoded: /a\"b in URL: http://h/a\"b",
        "http://h/a{b}              | character '{' in path must be percent-encoded: /a{b} in URL: http://h/a{b}",
        "http://h/?q=^              | character '^' in query must be percent-encoded: q=^ in URL: http://h/?q=^",
        "http://h/%zz               | '%' not followed by two hex digits in path: /%zz in URL: http://h/%zz",
        "http://h/?q=%4             | '%' not followed by two hex digits in query: q=%4 in URL: http://h/?q=%4",
    })
    void shouldRejectWithAClearMessage(String url, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> HttpUrl.parse(url)).getMessage());
    }

    @Test
    void shouldRefuseCharactersThatCouldBreakTheRequestLine() {
        assertThrows(IllegalArgumentException.class, () -> HttpUrl.parse("http://h/a b"));
        assertThrows(IllegalArgumentException.class, () -> HttpUrl.parse("http://h/caf\u00e9"));
        assertThrows(IllegalArgumentException.class, () -> HttpUrl.parse("http://h/?x\r\nX-Injected: 1"));
        assertThrows(IllegalArgumentException.class, () -> new HttpUrl("h", 80, "/a\r\nX: y", null));
        assertThrows(IllegalArgumentException.class, () -> new HttpUrl("h\r\n", 80, "/", null));
        assertThrows(IllegalArgumentException.class, () -> new HttpUrl("h", 80, "relative", null));
        assertThrows(IllegalArgumentException.class, () -> new HttpUrl("h", 80, "/", "q#f"));
    }

    /** RFC 3986 §5.4.1 and §5.4.2 examples (fragments dropped), plus what redirects use. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "g              | http://a/b/c/g",
        "./g            | http://a/b/c/g",
        "g/             | http://a/b/c/g/",
        "/g             | http://a/g",
        "//g            | http://g/",
        "?y             | http://a/b/c/d;p?y",
        "g?y            | http://a/b/c/g?y",
        "#s             | http://a/b/c/d;p?q",
        "g#s            | http://a/b/c/g",
        "g?y#s          | http://a/b/c/g?y",
        ";x             | http://a/b/c/;x",
        "g;x            | http://a/b/c/g;x",
        "''             | http://a/b/c/d;p?q",
        ".              | http://a/b/c/",
        "./             | http://a/b/c/",
        "..             | http://a/b/",
        "../            | http://a/b/",
        "../g           | http://a/b/g",
        "../..          | http://a/",
        "../../         | http://a/",
        "../../g        | http://a/g",
        "../../../g     | http://a/g",
        "../../../../g  | http://a/g",
        "/./g           | http://a/g",
        "/../g          | http://a/g",
        "g.             | http://a/b/c/g.",
        ".g             | http://a/b/c/.g",
        "g..            | http://a/b/c/g..",
        "..g            | http://a/b/c/..g",
        "./../g         | http://a/b/g",
        "./g/.          | http://a/b/c/g/",
        "g/./h          | http://a/b/c/g/h",
        "g/../h         | http://a/b/c/h",
        "g;x=1/./y      | http://a/b/c/g;x=1/y",
        "g;x=1/../y     | http://a/b/c/y",
        "g?y/./x        | http://a/b/c/g?y/./x",
        "g#s/../x       | http://a/b/c/g",
        "http://o:81/x  | http://o:81/x",
        "HTTP://[::1]/  | http://[::1]/",
    })
    void shouldResolveReferencesAsRfc3986(String location, String expected) {
        HttpUrl base = HttpUrl.parse("http://a/b/c/d;p?q");
        assertEquals(expected, base.resolve(location).toString());
    }

    @Test
    void shouldKeepTheBaseAuthorityForPathsAndFollowHttpsRedirects() {
        HttpUrl base = HttpUrl.parse("http://[::1]:8080/dir/page");
        assertEquals("http://[::1]:8080/other?x", base.resolve("/other?x").toString());
        assertEquals("http://[::1]:8080/dir/next", base.resolve("next").toString());
        assertNull(base.resolve("next").query());
        assertEquals(new HttpUrl("secure", 443, "/", null, true), base.resolve("https://secure/"));
        assertThrows(IllegalArgumentException.class, () -> base.resolve("mailto:x@y"));
        assertThrows(IllegalArgumentException.class, () -> base.resolve("a b"));
    }

    @Test
    void shouldParseHttpsWithItsOwnDefaultPortAndKeepTheSchemeForRelativeReferences() {
        HttpUrl url = HttpUrl.parse("HTTPS://example.com/a?b");
        assertEquals(new HttpUrl("example.com", 443, "/a", "b", true), url);
        assertEquals("example.com", url.hostHeader(), "443 is https's default: not in Host");
        assertEquals("https://example.com/a?b", url.toString());
        assertEquals("example.com:80", HttpUrl.parse("https://example.com:80/").hostHeader());
        assertEquals("https://example.com/c", url.resolve("c").toString());
        assertEquals("https://other/", url.resolve("//other/").toString());
    }
}
