package dev.sluice.codec;

import static dev.sluice.codec.CollectingSink.bytes;
import static dev.sluice.codec.CollectingSink.latin1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class LengthFieldFramerTest {

    private static final int MAX = 16;

    @Test
    void shouldProduceSameFramesWhenFedByteByByteInRandomChunksOrAllAtOnce() throws FrameException {
        Random random = new Random(0x1E57);
        for (int run = 0; run < 300; run++) {
            List<String> payloads = new ArrayList<>();
            int frames = random.nextInt(12);
            for (int i = 0; i < frames; i++) {
                // One in four empty, so zero-length frames meet every other case.
                int length = random.nextInt(4) == 0 ? 0 : random.nextInt(300);
                byte[] payload = new byte[length];
                random.nextBytes(payload);
                payloads.add(new String(payload, StandardCharsets.ISO_8859_1));
            }
            byte[] stream = stream(payloads.toArray(new String[0]));

            CollectingSink wholeSink = new CollectingSink();
            LengthFieldFramer whole = new LengthFieldFramer(300);
            whole.decode(ByteBuffer.wrap(stream), wholeSink);

            CollectingSink byteSink = new CollectingSink();
            LengthFieldFramer byteByByte = new LengthFieldFramer(300);
            Feed.inChunks(byteByByte::decode, stream, 1, byteSink);

            CollectingSink chunkSink = new CollectingSink();
            LengthFieldFramer chunked = new LengthFieldFramer(300);
            Feed.inRandomChunks(chunked::decode, stream, 1 + random.nextInt(64), random, chunkSink);

            String seed = "run " + run;
            assertEquals(payloads, wholeSink.frames(), seed);
            assertEquals(payloads, byteSink.frames(), seed);
            assertEquals(payloads, chunkSink.frames(), seed);
            assertEquals(0, byteByByte.bufferedBytes(), seed);
            assertEquals(0, byteByByte.retainedBufferBytes(), seed);
        }
    }

    @Test
    void shouldDecodeFramesWhenSplitAtEveryPossiblePositionIncludingInsideHeaders() throws FrameException {
        byte[] input = stream("hello", "", "world!");
        for (int cut1 = 0; cut1 <= input.length; cut1++) {
            for (int cut2 = cut1; cut2 <= input.length; cut2++) {
                LengthFieldFramer framer = new LengthFieldFramer(MAX);
                CollectingSink sink = new CollectingSink();
                Feed.inPieces(framer::decode, input, cut1, cut2, sink);
                assertEquals(List.of("hello", "", "world!"), sink.frames(), "cuts at " + cut1 + ", " + cut2);
                assertEquals(0, framer.bufferedBytes(), "cuts at " + cut1 + ", " + cut2);
            }
        }
    }

    @Test
    void shouldDeliverZeroLengthFramesWithoutAllocating() throws FrameException {
        byte[] input = stream("", "", "");
        assertEquals(List.of("", "", ""), decodeWhole(MAX, input));

        LengthFieldFramer framer = new LengthFieldFramer(MAX);
        CollectingSink sink = new CollectingSink();
        ByteBuffer readBuffer = ByteBuffer.allocate(1);
        for (byte b : input) {
            framer.decode(readBuffer.clear().put(b).flip(), sink);
            assertEquals(0, framer.retainedBufferBytes());
        }
        assertEquals(List.of("", "", ""), sink.frames());
    }

    @Test
    void shouldAcceptFrameOfExactlyMaxBytes() throws FrameException {
        String payload = "x".repeat(MAX);
        byte[] input = stream(payload);
        assertEquals(List.of(payload), decodeWhole(MAX, input));

        CollectingSink sink = new CollectingSink();
        Feed.inChunks(new LengthFieldFramer(MAX)::decode, input, 1, sink);
        assertEquals(List.of(payload), sink.frames());
    }

    @Test
    void shouldRejectOversizeHeaderBeforeThePayloadArrives() throws FrameException {
        LengthFieldFramer framer = new LengthFieldFramer(MAX);
        CollectingSink sink = new CollectingSink();
        ByteBuffer header = ByteBuffer.allocate(4);
        LengthFieldFramer.writeHeader(header, MAX + 1);
        header.flip();

        framer.decode(header.slice(0, 2), sink);
        assertEquals(2, framer.bufferedBytes());
        FrameTooLongException e = assertThrows(FrameTooLongException.class,
                () -> framer.decode(header.slice(2, 2), sink));
        assertEquals(MAX, e.maxBytes());
        assertEquals(MAX + 1, e.observedBytes());
        assertEquals("frame of 17 bytes is longer than 16 bytes", e.getMessage());
        assertEquals(0, framer.retainedBufferBytes());
        assertEquals(List.of(), sink.frames());
    }

    @Test
    void shouldRejectHeaderWithTopBitSetAsMalformed() {
        for (int header : new int[] {0x8000_0000, 0xFFFF_FFFF}) {
            ByteBuffer src = ByteBuffer.allocate(4).putInt(header).flip();
            LengthFieldFramer framer = new LengthFieldFramer(Integer.MAX_VALUE);
            MalformedFrameException e = assertThrows(MalformedFrameException.class,
                    () -> framer.decode(src, new CollectingSink()));
            assertTrue(e.getMessage().startsWith(String.format("frame header 0x%08X has its top bit set", header)),
                    e.getMessage());
        }
    }

    @Test
    void shouldDeliverFramesBeforeTheBadHeaderThenThrow() {
        ByteBuffer src = ByteBuffer.allocate(64);
        src.put(stream("one", "two"));
        LengthFieldFramer.writeHeader(src, MAX + 1);
        src.put(latin1("x".repeat(MAX + 1))).flip();
        CollectingSink sink = new CollectingSink();
        assertThrows(FrameTooLongException.class, () -> new LengthFieldFramer(MAX).decode(src, sink));
        assertEquals(List.of("one", "two"), sink.frames());
    }

    @Test
    void shouldRefuseFurtherInputAfterAnError() {
        LengthFieldFramer framer = new LengthFieldFramer(MAX);
        ByteBuffer negative = ByteBuffer.allocate(4).putInt(-1).flip();
        assertThrows(MalformedFrameException.class, () -> framer.decode(negative, new CollectingSink()));
        assertEquals(0, framer.bufferedBytes());

        CollectingSink sink = new CollectingSink();
        assertThrows(IllegalStateException.class, () -> framer.decode(ByteBuffer.wrap(stream("ok")), sink));
        framer.reset();
        assertThrows(IllegalStateException.class, () -> framer.decode(ByteBuffer.wrap(stream("ok")), sink));
        assertEquals(List.of(), sink.frames());
    }

    @Test
    void shouldCountBufferedHeaderAndPayloadBytes() throws FrameException {
        LengthFieldFramer framer = new LengthFieldFramer(MAX);
        CollectingSink sink = new CollectingSink();
        ByteBuffer input = ByteBuffer.wrap(stream("hello"));

        framer.decode(input.slice(0, 2), sink);
        assertEquals(2, framer.bufferedBytes());
        framer.decode(input.slice(2, 2), sink);
        assertEquals(4, framer.bufferedBytes());
        framer.decode(input.slice(4, 3), sink);
        assertEquals(7, framer.bufferedBytes());
        framer.decode(input.slice(7, 2), sink);
        assertEquals(0, framer.bufferedBytes());
        assertEquals(List.of("hello"), sink.frames());
    }

    @Test
    void shouldAllocatePayloadBufferOnlyWhenPayloadBytesArriveAndReleaseItWhenComplete() throws FrameException {
        LengthFieldFramer framer = new LengthFieldFramer(MAX);
        CollectingSink sink = new CollectingSink();
        ByteBuffer input = ByteBuffer.wrap(stream("0123456789"));

        framer.decode(input.slice(0, 4), sink);
        assertEquals(0, framer.retainedBufferBytes(), "allocated on the header alone");
        framer.decode(input.slice(4, 1), sink);
        assertEquals(10, framer.retainedBufferBytes(), "payload buffer should be exactly the payload length");
        framer.decode(input.slice(5, 9), sink);
        assertEquals(0, framer.retainedBufferBytes());
        assertEquals(List.of("0123456789"), sink.frames());
    }

    @Test
    void shouldHandOverViewsOfSrcAndRetainNoBufferWhenWholeFramesArriveInOneRead() throws FrameException {
        LengthFieldFramer framer = new LengthFieldFramer(MAX);
        ByteBuffer readBuffer = ByteBuffer.allocateDirect(64);
        byte[] input = stream("alpha", "", "beta");
        Set<ByteBuffer> framesSeen = Collections.newSetFromMap(new IdentityHashMap<>());
        CollectingSink collecting = new CollectingSink();
        FrameSink sink = frame -> {
            framesSeen.add(frame);
            // A direct frame from a direct read buffer shows that the payload was not copied to the heap.
            assertTrue(frame.isDirect(), "payload was copied out of src");
            collecting.onFrame(frame);
            frame.position(frame.limit());
        };
        for (int read = 0; read < 100; read++) {
            framer.decode(readBuffer.clear().put(input).flip(), sink);
            assertEquals(readBuffer.limit(), readBuffer.position());
            assertEquals(0, framer.bufferedBytes());
            assertEquals(0, framer.retainedBufferBytes(), "read " + read + " left a buffer behind");
        }
        assertEquals(300, collecting.frames().size());
        assertEquals(List.of("alpha", "", "beta"), collecting.frames().subList(297, 300));
        assertEquals(1, framesSeen.size(), "a new view was allocated for some frame");
    }

    @Test
    void shouldDropIncompleteFrameWhenReset() throws FrameException {
        LengthFieldFramer framer = new LengthFieldFramer(MAX);
        CollectingSink sink = new CollectingSink();
        framer.decode(ByteBuffer.wrap(stream("abcdef"), 0, 7), sink);
        framer.reset();
        assertEquals(0, framer.bufferedBytes());
        assertEquals(0, framer.retainedBufferBytes());

        framer.decode(ByteBuffer.wrap(stream("fresh")), sink);
        assertEquals(List.of("fresh"), sink.frames());
    }

    @Test
    void shouldRoundTripThroughEncodeAndDecode() throws FrameException {
        ByteBuffer payload = bytes("..payload");
        payload.position(2);
        ByteBuffer frame = LengthFieldFramer.encode(payload);

        assertEquals(2, payload.position(), "encode moved the payload's position");
        assertEquals(0, frame.position());
        assertEquals(4 + 7, frame.remaining());
        assertEquals(List.of("payload"), decodeWhole(MAX, frame));
    }

    @Test
    void shouldWriteBigEndianHeaderWhateverTheBufferByteOrder() {
        ByteBuffer dst = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        dst.position(1);
        LengthFieldFramer.writeHeader(dst, 0x0102_0304);
        assertEquals(5, dst.position());
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 0}, dst.array());

        ByteBuffer encoded = LengthFieldFramer.encode(ByteBuffer.allocate(258));
        assertArrayEquals(new byte[] {0, 0, 1, 2}, Arrays.copyOf(encoded.array(), 4));
    }

    @Test
    void shouldRejectNegativeLengthOrTooSmallBufferWhenWritingHeader() {
        assertThrows(IllegalArgumentException.class, () -> LengthFieldFramer.writeHeader(ByteBuffer.allocate(4), -1));
        ByteBuffer small = ByteBuffer.allocate(3);
        assertThrows(BufferOverflowException.class, () -> LengthFieldFramer.writeHeader(small, 1));
        assertEquals(0, small.position(), "a failed writeHeader wrote part of the header");
    }

    @Test
    void shouldAcceptOnlyEmptyFramesWhenMaxIsZero() throws FrameException {
        assertEquals(List.of(""), decodeWhole(0, stream("")));
        assertThrows(FrameTooLongException.class, () -> decodeWhole(0, stream("x")));
        assertThrows(IllegalArgumentException.class, () -> new LengthFieldFramer(-1));
    }

    private static List<String> decodeWhole(int maxFrameBytes, byte[] input) throws FrameException {
        return decodeWhole(maxFrameBytes, ByteBuffer.wrap(input));
    }

    private static List<String> decodeWhole(int maxFrameBytes, ByteBuffer input) throws FrameException {
        CollectingSink sink = new CollectingSink();
        new LengthFieldFramer(maxFrameBytes).decode(input, sink);
        return sink.frames();
    }

    /** The wire bytes of the given payloads, each encoded with {@link LengthFieldFramer#encode}. */
    private static byte[] stream(String... payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String payload : payloads) {
            ByteBuffer frame = LengthFieldFramer.encode(bytes(payload));
            out.write(frame.array(), frame.position(), frame.remaining());
        }
        return out.toByteArray();
    }
}
