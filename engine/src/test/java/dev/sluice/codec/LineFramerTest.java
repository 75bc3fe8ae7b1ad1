package dev.sluice.codec;

import static dev.sluice.codec.CollectingSink.bytes;
import static dev.sluice.codec.CollectingSink.latin1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class LineFramerTest {

    private static final int MAX = 8;
    private static final String EXACTLY_MAX = "12345678";
    private static final String MAX_PLUS_ONE = "123456789";

    @Test
    void shouldProduceSameLinesWhenFedByteByByteInRandomChunksOrAllAtOnce() throws FrameException {
        Random random = new Random(0x5E1CE);
        for (int run = 0; run < 500; run++) {
            byte[] input = randomLineStream(random, random.nextInt(400));
            List<String> expected = referenceLines(input);

            LineFramer whole = new LineFramer(1000);
            CollectingSink wholeSink = new CollectingSink();
            whole.decode(ByteBuffer.wrap(input), wholeSink);

            LineFramer byteByByte = new LineFramer(1000);
            CollectingSink byteSink = new CollectingSink();
            Feed.inChunks(byteByByte::decode, input, 1, byteSink);

            LineFramer chunked = new LineFramer(1000);
            CollectingSink chunkSink = new CollectingSink();
            Feed.inRandomChunks(chunked::decode, input, 1 + random.nextInt(40), random, chunkSink);

            String seed = "run " + run;
            assertEquals(expected, wholeSink.frames(), seed);
            assertEquals(expected, byteSink.frames(), seed);
            assertEquals(expected, chunkSink.frames(), seed);
            int trailing = trailingPartialBytes(input);
            assertEquals(trailing, whole.bufferedBytes(), seed);
            assertEquals(trailing, byteByByte.bufferedBytes(), seed);
            assertEquals(trailing, chunked.bufferedBytes(), seed);
        }
    }

    @Test
    void shouldAgreeOnLinesAndErrorWhenFedByteByByteOrAllAtOnceNearTheLimit() {
        // A small limit, so that many random lines are over it: where the error falls must not
        // depend on how the bytes were cut into reads.
        Random random = new Random(0xC0FFEE);
        int errors = 0;
        for (int run = 0; run < 500; run++) {
            byte[] input = randomLineStream(random, random.nextInt(60));

            CollectingSink wholeSink = new CollectingSink();
            boolean wholeFailed = failsDecoding(() -> new LineFramer(MAX).decode(ByteBuffer.wrap(input), wholeSink));

            CollectingSink byteSink = new CollectingSink();
            boolean byteFailed = failsDecoding(() -> Feed.inChunks(new LineFramer(MAX)::decode, input, 1, byteSink));

            assertEquals(wholeFailed, byteFailed, "run " + run);
            assertEquals(wholeSink.frames(), byteSink.frames(), "run " + run);
            assertEquals(referenceLinesBeforeFirstOverlong(input, MAX), wholeSink.frames(), "run " + run);
            errors += wholeFailed ? 1 : 0;
        }
        assertTrue(errors > 50, "the random inputs should exercise the limit, but only " + errors + " did");
    }

    @Test
    void shouldDecodeLinesWhenSplitAtEveryPossiblePosition() throws FrameException {
        byte[] input = latin1("first\r\nsecond\n\nthird line\r\n\r\nlast");
        List<String> expected = List.of("first", "second", "", "third line", "");
        for (int cut1 = 0; cut1 <= input.length; cut1++) {
            for (int cut2 = cut1; cut2 <= input.length; cut2++) {
                LineFramer framer = new LineFramer(64);
                CollectingSink sink = new CollectingSink();
                Feed.inPieces(framer::decode, input, cut1, cut2, sink);
                assertEquals(expected, sink.frames(), "cuts at " + cut1 + ", " + cut2);
                assertEquals("last".length(), framer.bufferedBytes(), "cuts at " + cut1 + ", " + cut2);
            }
        }
    }

    @Test
    void shouldStripCrOnlyWhenItPrecedesLf() throws FrameException {
        assertEquals(List.of("a", "a\rb", "\r", "x\r\ry"), decodeWhole(64, "a\r\na\rb\n\r\r\nx\r\ry\n"));
        assertEquals(List.of("a\rb"), decodeByteByByte(64, "a\rb\n"));
    }

    @Test
    void shouldDeliverEmptyLinesWhenTerminatorsFollowEachOther() throws FrameException {
        String input = "\n\r\n\n\r\n";
        List<String> expected = List.of("", "", "", "");
        assertEquals(expected, decodeWhole(64, input));
        assertEquals(expected, decodeByteByByte(64, input));
    }

    @Test
    void shouldAcceptLineOfExactlyMaxBytesWhenInOnePiece() throws FrameException {
        assertEquals(List.of(EXACTLY_MAX, EXACTLY_MAX), decodeWhole(MAX, EXACTLY_MAX + "\n" + EXACTLY_MAX + "\r\n"));
    }

    @Test
    void shouldAcceptLineOfExactlyMaxBytesWhenSpreadOverReads() throws FrameException {
        // Includes the cut between '\r' and '\n', where max + 1 bytes are pending.
        byte[] input = latin1(EXACTLY_MAX + "\r\n");
        for (int cut1 = 0; cut1 <= input.length; cut1++) {
            for (int cut2 = cut1; cut2 <= input.length; cut2++) {
                LineFramer framer = new LineFramer(MAX);
                CollectingSink sink = new CollectingSink();
                Feed.inPieces(framer::decode, input, cut1, cut2, sink);
                assertEquals(List.of(EXACTLY_MAX), sink.frames(), "cuts at " + cut1 + ", " + cut2);
            }
        }
    }

    @Test
    void shouldHoldMaxBytesAndCrWhenLfHasNotArrivedYet() throws FrameException {
        LineFramer framer = new LineFramer(MAX);
        CollectingSink sink = new CollectingSink();
        framer.decode(bytes(EXACTLY_MAX + "\r"), sink);
        assertEquals(MAX + 1, framer.bufferedBytes());
        assertTrue(framer.retainedBufferBytes() <= MAX, "buffer grew past maxLineBytes: " + framer.retainedBufferBytes());

        framer.decode(bytes("\n"), sink);
        assertEquals(List.of(EXACTLY_MAX), sink.frames());
    }

    @Test
    void shouldRejectLineOfMaxPlusOneBytesWhenInOnePiece() {
        FrameTooLongException withLf = assertThrows(FrameTooLongException.class,
                () -> new LineFramer(MAX).decode(bytes(MAX_PLUS_ONE + "\n"), new CollectingSink()));
        assertEquals(MAX, withLf.maxBytes());
        assertEquals(MAX + 1, withLf.observedBytes());
        assertEquals("line of 9 bytes is longer than 8 bytes", withLf.getMessage());

        // The framer looks at most max + 2 bytes ahead for the '\n' (enough to accept max bytes and
        // "\r\n"), so here it gives up one byte short of the '\n' and cannot know the length.
        FrameTooLongException withCrLf = assertThrows(FrameTooLongException.class,
                () -> new LineFramer(MAX).decode(bytes(MAX_PLUS_ONE + "\r\n"), new CollectingSink()));
        assertEquals(MAX, withCrLf.maxBytes());
        assertEquals(-1, withCrLf.observedBytes());

        FrameTooLongException unterminated = assertThrows(FrameTooLongException.class,
                () -> new LineFramer(MAX).decode(bytes(MAX_PLUS_ONE), new CollectingSink()));
        assertEquals(MAX, unterminated.maxBytes());
        assertEquals(-1, unterminated.observedBytes());
        assertEquals("line longer than 8 bytes without a terminator", unterminated.getMessage());
    }

    @Test
    void shouldRejectLineOfMaxPlusOneBytesWhenSpreadOverReads() {
        byte[] input = latin1(MAX_PLUS_ONE + "\r\n");
        for (int cut1 = 0; cut1 <= input.length; cut1++) {
            for (int cut2 = cut1; cut2 <= input.length; cut2++) {
                int c1 = cut1;
                int c2 = cut2;
                LineFramer framer = new LineFramer(MAX);
                FrameTooLongException e = assertThrows(FrameTooLongException.class,
                        () -> Feed.inPieces(framer::decode, input, c1, c2, new CollectingSink()),
                        "cuts at " + cut1 + ", " + cut2);
                assertEquals(MAX, e.maxBytes());
            }
        }
    }

    @Test
    void shouldRejectLongLineAsSoonAsItPassesTheLimitWithoutWaitingForTerminator() throws FrameException {
        LineFramer framer = new LineFramer(MAX);
        CollectingSink sink = new CollectingSink();
        framer.decode(bytes(EXACTLY_MAX), sink);
        assertEquals(MAX, framer.bufferedBytes());

        assertThrows(FrameTooLongException.class, () -> framer.decode(bytes("9"), sink));
        assertEquals(List.of(), sink.frames());
    }

    @Test
    void shouldRejectLineWhenCrAfterMaxBytesTurnsOutNotToStartTheTerminator() throws FrameException {
        for (String next : List.of("x", "\r", "x\n")) {
            LineFramer framer = new LineFramer(MAX);
            framer.decode(bytes(EXACTLY_MAX + "\r"), new CollectingSink());
            assertThrows(FrameTooLongException.class, () -> framer.decode(bytes(next), new CollectingSink()),
                    "next read " + next.replace("\r", "\\r").replace("\n", "\\n"));
        }
    }

    @Test
    void shouldDeliverLinesBeforeTheOverlongOneThenThrow() {
        CollectingSink sink = new CollectingSink();
        assertThrows(FrameTooLongException.class,
                () -> new LineFramer(MAX).decode(bytes("ok\nalso ok\n" + MAX_PLUS_ONE + "\nnever\n"), sink));
        assertEquals(List.of("ok", "also ok"), sink.frames());
    }

    @Test
    void shouldRefuseFurtherInputWhenALineWasTooLong() {
        LineFramer framer = new LineFramer(MAX);
        assertThrows(FrameTooLongException.class, () -> framer.decode(bytes(MAX_PLUS_ONE), new CollectingSink()));
        assertEquals(0, framer.bufferedBytes());
        assertEquals(0, framer.retainedBufferBytes());

        CollectingSink sink = new CollectingSink();
        assertThrows(IllegalStateException.class, () -> framer.decode(bytes("fine\n"), sink));
        framer.reset();
        assertThrows(IllegalStateException.class, () -> framer.decode(bytes("fine\n"), sink));
        assertEquals(List.of(), sink.frames());
    }

    @Test
    void shouldCountBufferedBytesOfIncompleteLineIncludingPendingCr() throws FrameException {
        LineFramer framer = new LineFramer(64);
        CollectingSink sink = new CollectingSink();
        assertEquals(0, framer.bufferedBytes());
        framer.decode(bytes("abc"), sink);
        assertEquals(3, framer.bufferedBytes());
        framer.decode(bytes("de\r"), sink);
        assertEquals(6, framer.bufferedBytes());
        framer.decode(bytes("\nfg"), sink);
        assertEquals(2, framer.bufferedBytes());
        assertEquals(List.of("abcde"), sink.frames());
    }

    @Test
    void shouldConsumeAllOfSrcWhenLastLineIsIncomplete() throws FrameException {
        ByteBuffer src = bytes("one\ntwo\nthr");
        new LineFramer(64).decode(src, new CollectingSink());
        assertEquals(src.limit(), src.position());
    }

    @Test
    void shouldHandOverViewsOfSrcAndRetainNoBufferWhenWholeLinesArriveInOneRead() throws FrameException {
        LineFramer framer = new LineFramer(64);
        ByteBuffer readBuffer = ByteBuffer.allocateDirect(64);
        Set<ByteBuffer> framesSeen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<String> lines = new ArrayList<>();
        // Consumes each frame the way a protocol parser would, moving its position to the limit.
        FrameSink consumingSink = frame -> {
            framesSeen.add(frame);
            assertTrue(frame.isReadOnly(), "frame is writable");
            // A direct frame from a direct read buffer shows that the line was not copied to the heap.
            assertTrue(frame.isDirect(), "line was copied out of src");
            byte[] line = new byte[frame.remaining()];
            frame.get(line);
            lines.add(new String(line, StandardCharsets.ISO_8859_1));
        };
        for (int read = 0; read < 100; read++) {
            readBuffer.clear();
            readBuffer.put(latin1("alpha\nbeta\r\n\ngamma\n"));
            framer.decode(readBuffer.flip(), consumingSink);
            assertEquals(0, framer.bufferedBytes());
            assertEquals(0, framer.retainedBufferBytes(), "read " + read + " left a buffer behind");
        }
        assertEquals(400, lines.size());
        assertEquals(List.of("alpha", "beta", "", "gamma"), lines.subList(396, 400));
        assertEquals(1, framesSeen.size(), "a new view was allocated for some line");
    }

    @Test
    void shouldReleaseBufferWhenSpanningLineCompletes() throws FrameException {
        LineFramer framer = new LineFramer(64);
        CollectingSink sink = new CollectingSink();
        assertEquals(0, framer.retainedBufferBytes());
        framer.decode(bytes("abc"), sink);
        assertTrue(framer.retainedBufferBytes() >= 3, "partial line not held");

        framer.decode(bytes("def\nwhole\n"), sink);
        assertEquals(List.of("abcdef", "whole"), sink.frames());
        assertEquals(0, framer.retainedBufferBytes());
    }

    @Test
    void shouldGrowBufferNoLargerThanMaxLineBytesWhenLineArrivesByteByByte() throws FrameException {
        int maxLineBytes = 1000;
        LineFramer framer = new LineFramer(maxLineBytes);
        CollectingSink sink = new CollectingSink();
        String line = "x".repeat(maxLineBytes);
        ByteBuffer readBuffer = ByteBuffer.allocate(1);
        int largestBufferBytes = 0;
        for (byte b : latin1(line + "\r")) {
            framer.decode(readBuffer.clear().put(b).flip(), sink);
            largestBufferBytes = Math.max(largestBufferBytes, framer.retainedBufferBytes());
        }
        framer.decode(bytes("\n"), sink);
        assertEquals(maxLineBytes, largestBufferBytes);
        assertEquals(List.of(line), sink.frames());
        assertEquals(0, framer.retainedBufferBytes());
    }

    @Test
    void shouldDropPartialLineWhenReset() throws FrameException {
        LineFramer framer = new LineFramer(64);
        CollectingSink sink = new CollectingSink();
        framer.decode(bytes("abc\r"), sink);
        framer.reset();
        assertEquals(0, framer.bufferedBytes());
        assertEquals(0, framer.retainedBufferBytes());

        // Without the held "abc\r" the '\n' ends an empty line.
        framer.decode(bytes("\ndef\n"), sink);
        assertEquals(List.of("", "def"), sink.frames());
    }

    @Test
    void shouldResumeAfterTheFailingLineWhenSinkThrows() throws FrameException {
        LineFramer framer = new LineFramer(64);
        CollectingSink collecting = new CollectingSink();
        FrameSink sink = frame -> {
            collecting.onFrame(frame);
            if (frame.remaining() == 3) {
                throw new IllegalArgumentException("sink rejects bad");
            }
        };
        ByteBuffer src = bytes("good\nbad\nafter\n");
        assertThrows(IllegalArgumentException.class, () -> framer.decode(src, sink));
        assertEquals("good\nbad\n".length(), src.position());

        framer.decode(src, sink);
        assertEquals(List.of("good", "bad", "after"), collecting.frames());
    }

    @Test
    void shouldRejectNonPositiveMaxLineBytes() {
        assertThrows(IllegalArgumentException.class, () -> new LineFramer(0));
        assertThrows(IllegalArgumentException.class, () -> new LineFramer(-1));
    }

    private static List<String> decodeWhole(int maxLineBytes, String input) throws FrameException {
        CollectingSink sink = new CollectingSink();
        new LineFramer(maxLineBytes).decode(bytes(input), sink);
        return sink.frames();
    }

    private static List<String> decodeByteByByte(int maxLineBytes, String input) throws FrameException {
        CollectingSink sink = new CollectingSink();
        Feed.inChunks(new LineFramer(maxLineBytes)::decode, latin1(input), 1, sink);
        return sink.frames();
    }

    /** Random bytes rich in '\r' and '\n', so terminators, lone CRs and empty lines all occur. */
    private static byte[] randomLineStream(Random random, int length) {
        byte[] input = new byte[length];
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(16);
            input[i] = pick == 0 ? (byte) '\r' : pick <= 2 ? (byte) '\n' : pick == 3 ? (byte) 0xFF : (byte) ('a' + pick);
        }
        return input;
    }

    /** The obvious, non-incremental split, as the reference the framer must match. */
    private static List<String> referenceLines(byte[] input) {
        return referenceLinesBeforeFirstOverlong(input, Integer.MAX_VALUE);
    }

    private static List<String> referenceLinesBeforeFirstOverlong(byte[] input, int maxLineBytes) {
        String s = new String(input, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                int end = i > start && s.charAt(i - 1) == '\r' ? i - 1 : i;
                if (end - start > maxLineBytes) {
                    return lines;
                }
                lines.add(s.substring(start, end));
                start = i + 1;
            }
        }
        return lines;
    }

    private static int trailingPartialBytes(byte[] input) {
        int lastLf = -1;
        for (int i = 0; i < input.length; i++) {
            if (input[i] == '\n') {
                lastLf = i;
            }
        }
        return input.length - lastLf - 1;
    }

    /** Runs {@code decoding}, reporting whether it threw FrameTooLongException. */
    private static boolean failsDecoding(ThrowingRunnable decoding) {
        try {
            decoding.run();
            return false;
        } catch (FrameTooLongException e) {
            return true;
        } catch (FrameException e) {
            fail("unexpected " + e);
            return true;
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws FrameException;
    }
}
