package dev.sluice.testing;

import dev.sluice.EventLoop;
import dev.sluice.EventLoopGroup;
import dev.sluice.GroupConfig;
import dev.sluice.GroupListenMode;
import dev.sluice.LoopConfig;
import dev.sluice.LoopErrorHandler;
import dev.sluice.LoopStats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test scaffolding shared by the engine's and the samples' tests: loops with a recording error
 * handler, client sockets that are tracked and closed, and the leak check every test ends with.
 *
 * <p>Thread: the test thread.
 */
public final class LoopFixture implements AutoCloseable {
    public static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    /** Errors the loop reported, in order. */
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<Channel> clients = new ArrayList<>();
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<EventLoopGroup> groups = new ArrayList<>();
    private final String threadName;

    public LoopFixture(String name) {
        this.threadName = "test-loop-" + name;
    }

    /** A started loop whose errors are recorded in {@link #errors}. */
    public EventLoop startLoop() {
        return track(EventLoop.start(config()));
    }

    /** A loop driven by the calling thread. */
    public EventLoop manualLoop(LoopConfig config) {
        return track(EventLoop.create(config));
    }

    /**
     * The defaults with this fixture's thread name and error recorder, and the stall watchdog off: on a
     * loaded 2-core CI machine a GC pause or a descheduled thread could pass its threshold in any test.
     * Tests of the watchdog turn it on.
     */
    public LoopConfig config() {
        LoopErrorHandler recorder = (c, e) -> errors.add(e);
        return LoopConfig.defaults().withName(threadName).withErrorHandler(recorder).withStallThresholdNs(0);
    }

    /** A started group of {@code n} loops named {@code test-loop-NAME-0..n-1}; the leak check covers every loop. */
    public EventLoopGroup startGroup(int n, GroupListenMode mode) {
        return adopt(EventLoopGroup.start(new GroupConfig(n, config(), mode)));
    }

    /** Tracks a group the test made itself with {@link #config()}, so the leak check covers every loop. */
    public EventLoopGroup adopt(EventLoopGroup group) {
        groups.add(group);
        group.loops().forEach(this::track);
        return group;
    }

    /** Tracks a loop the test made itself, so the leak check covers it. Use this fixture's thread name. */
    public EventLoop adopt(EventLoop loop) {
        return track(loop);
    }

    private EventLoop track(EventLoop loop) {
        loops.add(loop);
        return loop;
    }

    /** A blocking client connected to {@code address}, closed by {@link #close()}. */
    public SocketChannel connect(InetSocketAddress address) throws IOException {
        SocketChannel ch = SocketChannel.open(address);
        clients.add(ch);
        return ch;
    }

    /** Tracks a channel the test opened itself. */
    public <C extends Channel> C track(C ch) {
        clients.add(ch);
        return ch;
    }

    /** Spins the manual loop until {@code condition} holds, failing after 10 s of real time. */
    public static void runUntil(EventLoop loop, long nowNs, BooleanSupplier condition) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - giveUp > 0) {
                fail("condition not reached within 10 s of real time");
            }
            loop.runOnce(nowNs);
        }
    }

    /**
     * Spins the manual loop, accepting on the non-blocking {@code server} in between its iterations, until
     * one socket was accepted and {@code opened} holds (the loop's end of it has opened), for tests that
     * drive a manual loop whose connects go to a server socket of the test's.
     *
     * @return the accepted socket (the test tracks it)
     */
    public static SocketChannel runUntilAccepted(EventLoop loop, long nowNs, ServerSocketChannel server,
                                                 BooleanSupplier opened) {
        SocketChannel[] peer = new SocketChannel[1];
        runUntil(loop, nowNs, () -> {
            if (peer[0] == null) {
                try {
                    peer[0] = server.accept();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return peer[0] != null && opened.getAsBoolean();
        });
        return peer[0];
    }

    /** Waits for {@code condition} from the test thread, failing after 20 s. */
    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - giveUp > 0) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(1); // polling a condition another thread sets; the 20 s bound is only a safety net
        }
    }

    /**
     * Closes every client and loop, then proves nothing leaked: loops ended, no key registered, no
     * connection or buffered byte left, the loop thread gone, every client channel closed, and no
     * error reported that the test did not expect and clear.
     */
    @Override
    public void close() throws IOException {
        try {
            checkClean();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while checking for leaks", e);
        }
    }

    private void checkClean() throws IOException, InterruptedException {
        for (Channel ch : clients) {
            ch.close();
        }
        for (EventLoopGroup group : groups) {
            group.close(); // every loop asked at once; each is then checked below like any other
            assertTrue(group.isTerminated(), "group did not terminate");
        }
        for (EventLoop loop : loops) {
            loop.close();
            assertTrue(loop.awaitTermination(TimeUnit.SECONDS.toNanos(10)), "loop did not terminate");
            assertTrue(loop.isTerminated());
            assertEquals(0, loop.registeredKeys(), "selection keys left registered");
            LoopStats s = loop.stats();
            assertEquals(0, s.openConnections(), "connections left open");
            assertEquals(0, s.pendingOutputBytes(), "pending output left");
            assertEquals(0, s.bufferedInputBytes(), "buffered input left");
        }
        for (Channel ch : clients) {
            assertFalse(ch.isOpen(), "client channel left open");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (loopThreadAlive()) {
            if (System.nanoTime() - deadline > 0) {
                fail("loop thread " + threadName + " (or one of its group's) still alive");
            }
            Thread.sleep(1);
        }
        if (!errors.isEmpty()) {
            AssertionError e = new AssertionError("unexpected loop errors: " + errors);
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }

    private boolean loopThreadAlive() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            boolean ours = n.equals(threadName)
                    || (n.startsWith(threadName + "-") && n.substring(threadName.length() + 1).matches("[0-9]+"));
            if (ours && t.isAlive()) {
                return true;
            }
        }
        return false;
    }
}
