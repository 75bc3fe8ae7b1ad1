package dev.sluice.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink that copies every frame it is given, as the contract says it must (the buffer is valid only
 * during the call), and checks on the way that the frame really is read-only.
 */
final class CollectingSink implements FrameSink {

    private final List<String> frames = new ArrayList<>();

    @Override
    public void onFrame(ByteBuffer frame) {
        if (!frame.isReadOnly()) {
            throw new AssertionError("frame handed to the sink is writable");
        }
        byte[] bytes = new byte[frame.remaining()];
        frame.duplicate().get(bytes);
        frames.add(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    /** The frames so far, each byte as one ISO-8859-1 character so that any byte survives. */
    List<String> frames() {
        return frames;
    }

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
