package dev.sluice;

import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's Flight Recorder events appear in a recording that enables them, and only then. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JfrEventsTest {

    @Test
    void shouldRecordClosesAndBackpressureWhenARecordingEnablesThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sluice.jfr");
        try (LoopFixture f = new LoopFixture("jfr"); Recording recording = new Recording()) {
            recording.enable("dev.sluice.ConnectionClosed");
            recording.enable("dev.sluice.Writability");
            recording.start();
            EventLoop loop = f.startLoop();
            RecordingHandler h = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    while (c.isWritable()) { // the peer does not read: the kernel fills, then the watermark
                        c.write(ByteBuffer.allocate(16 * 1024));
                    }
                    c.abort();
                }
            };
            ConnectionConfig cc = ConnectionConfig.defaults().withSocketBuffers(8 * 1024, 0);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> h);
            SocketChannel client = f.track(SocketChannel.open());
            client.setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024);
            client.connect(l.localAddress());
            assertTrue(h.closed.await(10, TimeUnit.SECONDS));
            loop.close();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> closes = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.sluice.ConnectionClosed")).toList();
        assertEquals(1, closes.size(), events.toString());
        assertEquals("LOCAL", closes.get(0).getString("reason"));
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.sluice.Writability")
                && !e.getBoolean("writable")), "the unwritable transition was recorded");
        assertTrue(events.stream().noneMatch(e -> e.getEventType().getName().equals("dev.sluice.LoopStall")),
                "an event the recording did not enable is not recorded");
    }
}
