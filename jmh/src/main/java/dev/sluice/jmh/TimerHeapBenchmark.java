package dev.sluice.jmh;

import dev.sluice.internal.TimerHeap;
import dev.sluice.internal.TimerNode;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The loop's {@link TimerHeap} with {@code timers} nodes already armed (one per connection, as the
 * engine arms them), deadlines spread at random over {@link #SPREAD_NS} into the future.
 *
 * <ul>
 *   <li>{@code scheduleAndCancel}: arm one extra node at a random deadline among the others, then
 *       disarm it (a deadline set and cleared, or a connect that completes before its timeout).</li>
 *   <li>{@code rescheduleLater}: move an armed node, in turn each of the preloaded ones, one whole
 *       spread later, so it becomes the latest (an idle timeout re-armed after activity; the engine
 *       avoids doing this per read, see {@code SocketConnection.armTimer}). The heap keeps its shape.</li>
 *   <li>{@code expireOne}: arm a node at "now", earlier than every other, and {@code pollDue} it:
 *       a sift to the root and a sift down from it, the cost of one expiry.</li>
 * </ul>
 *
 * <p>The heap stays at {@code timers} nodes between operations. With a million nodes the heap
 * array and the nodes no longer fit in cache, so that row measures cache misses as much as code.
 * Each operation should allocate nothing ({@code -prof gc}).
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar TimerHeap -prof gc}.
 *
 * <p>Thread: JMH's; one benchmark thread (the heap is loop-thread-only, like in the engine).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TimerHeapBenchmark {
    /** Deadlines of preloaded nodes lie in [BASE_NS, BASE_NS + SPREAD_NS). */
    static final long SPREAD_NS = 10_000_000_000L;
    private static final long BASE_NS = 1_000_000_000L;
    /** Random deadlines for the probe node, cycled through; a power of two. */
    private static final int DEADLINES = 1 << 16;

    /** Nodes armed before the measurement. */
    @Param({"10000", "1000000"})
    public int timers;

    private TimerHeap heap;
    private Node[] nodes;
    private long[] deadlines;
    private final Node probe = new Node();
    private int nextNode;
    private int nextDeadline;

    /** A node that does nothing when it expires. */
    static final class Node extends TimerNode {
        @Override
        protected void onExpire(long nowNs) {
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        heap = new TimerHeap();
        nodes = new Node[timers];
        for (int i = 0; i < timers; i++) {
            nodes[i] = new Node();
            heap.schedule(nodes[i], BASE_NS + random.nextLong(SPREAD_NS));
        }
        deadlines = new long[DEADLINES];
        for (int i = 0; i < DEADLINES; i++) {
            deadlines[i] = BASE_NS + random.nextLong(SPREAD_NS);
        }
    }

    /**
     * Arms a node among the others and disarms it.
     *
     * @return the heap size, to keep the work observable
     */
    @Benchmark
    public int scheduleAndCancel() {
        heap.schedule(probe, deadlines[nextDeadline++ & (DEADLINES - 1)]);
        heap.cancel(probe);
        return heap.size();
    }

    /**
     * Moves one preloaded node a whole spread later, making it the latest.
     *
     * @return its new deadline
     */
    @Benchmark
    public long rescheduleLater() {
        Node node = nodes[nextNode];
        if (++nextNode == timers) {
            nextNode = 0;
        }
        heap.schedule(node, node.deadlineNs() + SPREAD_NS);
        return node.deadlineNs();
    }

    /**
     * Arms a node at "now", before every other node, and takes it out as due.
     *
     * @return the node polled (the probe)
     */
    @Benchmark
    public TimerNode expireOne() {
        long nowNs = heap.earliestDeadlineNs() - 1;
        heap.schedule(probe, nowNs);
        return heap.pollDue(nowNs);
    }
}
