package dev.sluice;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadPauseTest {

    /** Answers one line at a time and pauses after each, like a server that serialises pipelined requests. */
    static final class OneAtATime extends RecordingHandler {
        @Override
        public void onData(Connection c, ByteBuffer data) {
            int start = data.position();
            for (int i = start; i < data.limit(); i++) {
                if (data.get(i) == '\n') {
                    ByteBuffer line = data.slice(start, i + 1 - start);
                    data.position(i + 1);
                    c.writeCopy(line);
                    events.add("line");
                    c.pauseReading(); // the rest waits, unconsumed, until resumed
                    return;
                }
            }
        }
    }

    @Test
    void shouldHandBackHeldInputOnResumeWithoutNewBytes() throws Exception {
        try (LoopFixture f = new LoopFixture("resume")) {
            EventLoop loop = f.startLoop();
            OneAtATime server = new OneAtATime();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> server);
            SocketChannel client = f.connect(l.localAddress());
            client.write(Bytes.ascii("first\nsecond\nthird\n")); // all three in one write
            assertEquals("first\n", new String(Bytes.readExactly(client, 6), StandardCharsets.US_ASCII));
            LoopFixture.await(() -> loop.stats().bufferedInputBytes() == 13, "the rest held while paused");

            for (String expected : new String[] {"second\n", "third\n"}) {
                loop.execute(() -> server.connection.resumeReading()); // no new bytes are sent
                assertEquals(expected, new String(Bytes.readExactly(client, expected.length()), StandardCharsets.US_ASCII));
            }
            assertEquals(3, server.events.stream().filter("line"::equals).count());
            LoopFixture.await(() -> loop.stats().bufferedInputBytes() == 0, "held input released");
            assertTrue(server.closeReason == null);
        }
    }
}
