package dev.sluice.internal;

import dev.sluice.CloseReason;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The engine's JDK Flight Recorder events: a loop stall, a connection closed (with its reason), and a
 * backpressure transition. All are off ({@link Enabled} false) unless a recording turns them on, and
 * each call site checks {@link EventType#isEnabled()} first, so a loop with no recording allocates
 * nothing for them. How to record and read them: docs/observability.md.
 *
 * <p>Thread: loop only.
 */
final class JfrEvents {
    private static final EventType STALL = register(LoopStall.class);
    private static final EventType CLOSED = register(ConnectionClosed.class);
    private static final EventType WRITABILITY = register(Writability.class);

    private JfrEvents() {
    }

    /** Registers the event class, so that a recording can enable it; {@code null} if JFR refuses. */
    private static EventType register(Class<? extends Event> type) {
        try {
            FlightRecorder.register(type);
            return EventType.getEventType(type);
        } catch (RuntimeException | LinkageError | InternalError e) {
            return null; // no Flight Recorder in this JVM: these events are never emitted
        }
    }

    static void loopStalled(String loopName, String where, long tookNs, Class<?> handlerClass) {
        if (STALL != null && STALL.isEnabled()) {
            LoopStall e = new LoopStall();
            e.loop = loopName;
            e.where = where;
            e.stalled = tookNs;
            e.handler = handlerClass == null ? null : handlerClass.getName();
            e.commit();
        }
    }

    static void connectionClosed(String loopName, long id, CloseReason reason, Throwable cause) {
        if (CLOSED != null && CLOSED.isEnabled()) {
            ConnectionClosed e = new ConnectionClosed();
            e.loop = loopName;
            e.connectionId = id;
            e.reason = reason.name();
            e.cause = cause == null ? null : cause.toString();
            e.commit();
        }
    }

    static void writabilityChanged(String loopName, long id, boolean writable, long pendingBytes) {
        if (WRITABILITY != null && WRITABILITY.isEnabled()) {
            Writability e = new Writability();
            e.loop = loopName;
            e.connectionId = id;
            e.writable = writable;
            e.pendingBytes = pendingBytes;
            e.commit();
        }
    }

    @Name("dev.sluice.LoopStall")
    @Label("Loop Stall")
    @Category("Sluice")
    @Description("A loop iteration, or one ready key's callbacks, ran past the stall threshold")
    @Enabled(false)
    @StackTrace(false)
    static final class LoopStall extends Event {
        @Label("Loop")
        String loop;
        @Label("Where")
        String where;
        @Label("Stalled For")
        @Timespan(Timespan.NANOSECONDS)
        long stalled;
        @Label("Handler Class")
        String handler;
    }

    @Name("dev.sluice.ConnectionClosed")
    @Label("Connection Closed")
    @Category("Sluice")
    @Enabled(false)
    @StackTrace(false)
    static final class ConnectionClosed extends Event {
        @Label("Loop")
        String loop;
        @Label("Connection Id")
        long connectionId;
        @Label("Reason")
        String reason;
        @Label("Cause")
        String cause;
    }

    @Name("dev.sluice.Writability")
    @Label("Writability Changed")
    @Category("Sluice")
    @Description("A connection's pending output crossed a watermark: unwritable above the high one, writable again at the low one")
    @Enabled(false)
    @StackTrace(false)
    static final class Writability extends Event {
        @Label("Loop")
        String loop;
        @Label("Connection Id")
        long connectionId;
        @Label("Writable")
        boolean writable;
        @Label("Pending Output")
        @DataAmount
        long pendingBytes;
    }
}
