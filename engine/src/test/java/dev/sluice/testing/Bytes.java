package dev.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Random;

/** Byte helpers for tests. Thread: any. */
public final class Bytes {
    private Bytes() {
    }

    public static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Reads until EOF, failing if more than {@code max} bytes arrive. */
    public static byte[] readToEof(SocketChannel ch, int max) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(max + 1);
        while (ch.read(buf) >= 0) {
            if (!buf.hasRemaining()) {
                throw new IOException("more than " + max + " bytes before EOF");
            }
        }
        buf.flip();
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }

    /** Reads exactly {@code n} bytes, failing on EOF. */
    public static byte[] readExactly(SocketChannel ch, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new IOException("EOF after " + buf.position() + " of " + n + " bytes");
            }
        }
        return buf.array();
    }

    public static void writeFully(SocketChannel ch, byte[] data) {
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
