package dev.sluice;

import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default error handler as an application meets it: through {@code java.util.logging}, the JDK's
 * default {@link System.Logger} backend, with no logging configured by the engine. A JUL handler on the
 * {@code dev.sluice} logger records what the loop logs.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ErrorLoggingTest {
    /** Held strongly: JUL keeps loggers only weakly, and the level set here must stay. */
    private final Logger jul = Logger.getLogger("dev.sluice");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final CountDownLatch logged = new CountDownLatch(1);
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
            logged.countDown();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level savedLevel;
    private boolean savedUseParent;

    @BeforeEach
    void captureLogging() {
        savedLevel = jul.getLevel();
        savedUseParent = jul.getUseParentHandlers();
        jul.setLevel(Level.ALL); // DEBUG (FINE) too, to see that a reset is logged below WARNING or not at all
        jul.setUseParentHandlers(false); // keep the expected ERROR out of the build's console
        capture.setLevel(Level.ALL);
        jul.addHandler(capture);
    }

    @AfterEach
    void restoreLogging() {
        jul.removeHandler(capture);
        jul.setLevel(savedLevel);
        jul.setUseParentHandlers(savedUseParent);
    }

    @Test
    void shouldLogAHandlerThatThrewAtSevereWithItsStackTrace() throws Exception {
        try (LoopFixture f = new LoopFixture("logging")) {
            EventLoop loop = f.adopt(EventLoop.start(LoopConfig.defaults().withName("test-loop-logging")));
            AtomicReference<String> connectionName = new AtomicReference<>();
            Listener listener = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> (c, data) -> {
                connectionName.set(c.toString());
                throw new IllegalStateException("boom in onData");
            });
            SocketChannel client = f.connect(listener.localAddress());
            client.write(ByteBuffer.wrap(new byte[] {'x'}));

            assertTrue(logged.await(10, TimeUnit.SECONDS), "nothing logged");
            LogRecord r = records.get(0);
            assertEquals(Level.SEVERE, r.getLevel(), "System.Logger ERROR is JUL SEVERE");
            assertEquals("dev.sluice", r.getLoggerName());
            assertEquals("sluice " + connectionName.get() + ": java.lang.IllegalStateException: boom in onData",
                    r.getMessage(), "names the connection and the error");
            assertTrue(r.getThrown() instanceof IllegalStateException, "the exception itself is attached");
            String printed = new SimpleFormatter().format(r);
            assertTrue(printed.contains("java.lang.IllegalStateException: boom in onData"), printed);
            assertTrue(printed.contains("\tat dev.sluice.ErrorLoggingTest.lambda$"), "the stack trace: " + printed);
        }
    }

    @Test
    void shouldNotLogAPeerResetAsAnError() throws Exception {
        try (LoopFixture f = new LoopFixture("logging-reset")) {
            EventLoop loop = f.adopt(EventLoop.start(LoopConfig.defaults().withName("test-loop-logging-reset")));
            CountDownLatch closed = new CountDownLatch(1);
            AtomicReference<CloseReason> reason = new AtomicReference<>();
            Listener listener = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> new ConnectionHandler() {
                @Override
                public void onData(Connection c, ByteBuffer data) {
                    data.position(data.limit()); // consume, never answer: the client resets
                }

                @Override
                public void onClose(Connection c, CloseReason why, Throwable cause) {
                    reason.set(why);
                    closed.countDown();
                }
            });
            SocketChannel client = f.connect(listener.localAddress());
            client.write(ByteBuffer.wrap(new byte[] {'x'}));
            client.setOption(StandardSocketOptions.SO_LINGER, 0);
            client.close(); // RST

            assertTrue(closed.await(10, TimeUnit.SECONDS), "the server never saw the reset");
            assertEquals(CloseReason.PEER_RESET, reason.get());
            assertTrue(records.stream().noneMatch(r -> r.getLevel().intValue() > Level.FINE.intValue()),
                    "logged above DEBUG: " + records);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection reset", "Connection reset by peer", "Broken pipe"})
    void shouldLogAPeerThatWentAwayAtDebugWithoutAStackTrace(String message) throws Exception {
        try (LoopFixture f = new LoopFixture("logging-peer-gone")) {
            LoopConfig.defaults().errorHandler().onError(null, new UncheckedIOException(new IOException(message)));

            assertEquals(1, records.size(), records.toString());
            assertEquals(Level.FINE, records.get(0).getLevel(), "System.Logger DEBUG is JUL FINE");
            assertTrue(records.get(0).getMessage().startsWith("sluice loop: peer went away: "), records.get(0).getMessage());
            assertTrue(records.get(0).getMessage().contains(message));
            assertNull(records.get(0).getThrown());
        }
    }

    @Test
    void shouldLogAnOtherIoErrorAtWarningWithItsStackTrace() throws Exception {
        try (LoopFixture f = new LoopFixture("logging-io")) {
            IOException e = new IOException("accept failed on /127.0.0.1:7000, backing off 10 ms");
            LoopConfig.defaults().errorHandler().onError(null, e);

            assertEquals(1, records.size(), records.toString());
            assertEquals(Level.WARNING, records.get(0).getLevel());
            assertEquals("sluice loop: " + e, records.get(0).getMessage());
            assertSame(e, records.get(0).getThrown());
        }
    }
}
