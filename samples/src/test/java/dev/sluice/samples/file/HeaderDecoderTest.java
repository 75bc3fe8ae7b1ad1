package dev.sluice.samples.file;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderDecoderTest {

    private static ByteBuffer headerThenBody(String name, long size, String body) {
        ByteBuffer h = TransferProtocol.encodeHeader(name, size);
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(h.remaining() + b.length).put(h).put(b).flip();
    }

    @Test
    void shouldDecodeAWholeHeaderAndLeaveTheBodyInTheSource() throws Exception {
        ByteBuffer src = headerThenBody("r\u00e9sum\u00e9.pdf", 123_456_789_012L, "BODY");
        TransferHeader h = new HeaderDecoder().decode(src);
        assertEquals(new TransferHeader("r\u00e9sum\u00e9.pdf", 123_456_789_012L), h);
        assertEquals("BODY", StandardCharsets.US_ASCII.decode(src).toString());
    }

    @Test
    void shouldDecodeAHeaderFedOneByteAtATime() throws Exception {
        ByteBuffer all = headerThenBody("a.bin", 5, "xyz");
        HeaderDecoder d = new HeaderDecoder();
        TransferHeader h = null;
        int fed = 0;
        while (h == null) {
            ByteBuffer one = ByteBuffer.wrap(new byte[] {all.get(fed++)});
            h = d.decode(one);
            assertEquals(0, one.remaining(), "every header byte is taken");
        }
        assertEquals(new TransferHeader("a.bin", 5), h);
        assertEquals(all.limit() - 3, fed, "complete exactly at the last header byte");
    }

    @Test
    void shouldReturnNullUntilComplete() throws Exception {
        ByteBuffer all = headerThenBody("a", 0, "");
        HeaderDecoder d = new HeaderDecoder();
        assertNull(d.decode(all.duplicate().limit(6)));
        assertEquals(new TransferHeader("a", 0), d.decode(all.position(6)));
    }

    @Test
    void shouldRefuseWhatIsNotTheProtocol() {
        assertMalformed("bad magic", ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertMalformed("version 2", ByteBuffer.allocate(7).putInt(TransferProtocol.MAGIC).put((byte) 2).putShort((short) 1).flip());
        assertMalformed("name length 0", ByteBuffer.allocate(7).putInt(TransferProtocol.MAGIC).put((byte) 1).putShort((short) 0).flip());
        assertMalformed("name length 256", ByteBuffer.allocate(7).putInt(TransferProtocol.MAGIC).put((byte) 1).putShort((short) 256).flip());
        assertMalformed("not valid UTF-8", ByteBuffer.allocate(7 + 2 + 8).putInt(TransferProtocol.MAGIC).put((byte) 1)
                .putShort((short) 2).put((byte) 0xc3).put((byte) 0x28).putLong(1).flip());
        assertMalformed("negative size", ByteBuffer.allocate(7 + 1 + 8).putInt(TransferProtocol.MAGIC).put((byte) 1)
                .putShort((short) 1).put((byte) 'a').putLong(-1).flip());
    }

    private static void assertMalformed(String what, ByteBuffer src) {
        MalformedTransferException e = assertThrows(MalformedTransferException.class, () -> new HeaderDecoder().decode(src));
        String expected = what.startsWith("version") ? "unsupported protocol version"
                : what.startsWith("name length") ? "name length" : what;
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
    }

    @Test
    void shouldRefuseToEncodeNamesTheDecoderWouldRefuse() {
        assertThrows(IllegalArgumentException.class, () -> TransferProtocol.encodeHeader("", 1));
        assertThrows(IllegalArgumentException.class, () -> TransferProtocol.encodeHeader("x".repeat(256), 1));
        assertThrows(IllegalArgumentException.class, () -> TransferProtocol.encodeHeader("a", -1));
    }
}
