package dev.sluice.samples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HostPortTest {

    @Test
    void shouldParseTheUsualForms() {
        assertEquals(new HostPort("localhost", 7000), HostPort.parse("localhost:7000"));
        assertEquals(new HostPort("10.0.0.5", 7), HostPort.parse("10.0.0.5:7"));
        assertEquals(new HostPort("::1", 7000), HostPort.parse("[::1]:7000"));
        assertEquals(new HostPort("127.0.0.1", 7000), HostPort.parse("7000"));
        assertEquals(new HostPort("127.0.0.1", 7000), HostPort.parse(":7000"));
        assertEquals("[::1]:7000", HostPort.parse("[::1]:7000").toString());
    }

    @Test
    void shouldSayWhatIsWrong() {
        assertEquals("expected HOST:PORT with a port 0..65535, got 'foo:bar'",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("foo:bar")).getMessage());
        assertEquals("expected HOST:PORT with a port 0..65535, got 'h:70000'",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("h:70000")).getMessage());
        assertEquals("write IPv6 addresses as [ADDRESS]:PORT, got '::1:7000'",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("::1:7000")).getMessage());
    }

    @Test
    void shouldResolveOrSayTheHostIsUnknown() {
        assertEquals(7000, HostPort.parse("127.0.0.1:7000").resolve().getPort());
        assertEquals("unknown host 'no-such-host.invalid'",
                assertThrows(CliException.class, () -> HostPort.parse("no-such-host.invalid:7").resolve()).getMessage());
    }
}
