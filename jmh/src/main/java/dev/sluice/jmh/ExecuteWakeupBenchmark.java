package dev.sluice.jmh;

import dev.sluice.EventLoop;
import dev.sluice.LoopConfig;
import dev.sluice.LoopStats;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cross-thread hand-off latency: the JMH thread calls {@code loop.execute(task)} and spins until the
 * task has run on the loop thread, so one operation is execute, wakeup (if needed), task run, and
 * the caller seeing it. The task is one preallocated {@link Runnable} that bumps a volatile counter.
 *
 * <p>{@code loopState=idle}: the loop has nothing else to do, so it is usually asleep in
 * {@code select} when the task arrives and {@code execute} pays for {@code Selector.wakeup()} (a
 * write to the selector's wakeup pipe) and the loop thread's return from {@code epoll_wait}.
 * {@code loopState=busy}: a task on the loop re-queues itself forever, so the loop never sleeps,
 * {@code execute} sees it awake and skips the wakeup (the coalescing flag), and the latency is the
 * queue hand-off alone.
 *
 * <p>Secondary results are JMH "events" counters, which JMH sums over the measured iterations, so
 * they are totals; divide by {@code handoffs} (every hand-off between the iteration's set-up and
 * tear-down, the ones outside JMH's timed window included, because the other counters span the
 * same window). Each iteration also prints the ratios. {@code wakeups} (from
 * {@link LoopStats#wakeups()}) shows which case each hand-off hit; in the idle case it is below one
 * per hand-off when the caller is back before the loop has gone to sleep again.
 * {@code callerBytes} is the JMH thread alone: the task queue is a
 * {@link java.util.concurrent.ConcurrentLinkedQueue}, one node per {@code execute}.
 * {@code loopBytes} is the loop thread alone; in the busy case the loop's own self-requeueing task
 * allocates a queue node per requeue, so there {@code loopBytes} and {@code gc.alloc.rate.norm}
 * measure the background load, not the hand-off.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar ExecuteWakeup -prof gc}.
 * Needs two free cores to mean anything: the caller and the loop both spin or run at once.
 *
 * <p>Thread: JMH's; one benchmark thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ExecuteWakeupBenchmark {

    /**
     * Hands one task to the loop and waits for it to have run.
     *
     * @param target the loop, the task and the per-iteration counters
     * @return the task's run count
     */
    @Benchmark
    public long executeAndAwait(Target target) {
        target.handoffs++;
        long expected = ++target.sent;
        target.loop.execute(target.flag);
        long seen;
        while ((seen = target.flag.runs) != expected) {
            Thread.onSpinWait();
        }
        return seen;
    }

    /** The task: counts its runs. Written by the loop thread only, read by the JMH thread. */
    static final class Flag implements Runnable {
        volatile long runs;

        @Override
        public void run() {
            runs = runs + 1; // single writer: the loop thread
        }
    }

    /** Keeps the loop awake: runs once per turn of the task queue and queues itself again. */
    static final class Spinner implements Runnable {
        private final EventLoop loop;
        volatile boolean stop;

        Spinner(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            if (!stop) {
                loop.execute(this);
            }
        }
    }

    /**
     * The loop, idle or kept busy, the task handed to it, and the secondary results (its public
     * fields; the parameter is package-private so that JMH does not take it for a counter). One
     * state for all of it, because JMH 1.37 makes a separate instance of a state for each helper
     * method that takes it as an argument.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Target {
        /** Whether the loop sleeps between tasks ({@code idle}) or never does ({@code busy}). */
        @Param({"idle", "busy"})
        String loopState;

        /** Hand-offs made, warm-up and warm-down ones included: the divisor for the others. */
        public long handoffs;
        /** Heap bytes the JMH (calling) thread allocated. */
        public long callerBytes;
        /** Heap bytes the loop thread allocated. */
        public long loopBytes;
        /** {@code Selector.wakeup()} calls. */
        public long wakeups;
        /** Loop iterations. */
        public long loopIterations;

        EventLoop loop;
        final Flag flag = new Flag();
        long sent;
        private long loopThreadId;
        private Spinner spinner;
        private long callerThreadId;
        private long callerStart;
        private long loopStart;
        private LoopStats statsStart;

        @Setup(Level.Trial)
        public void setUp() {
            loop = EventLoop.start(LoopConfig.defaults().withName("sluice-bench-loop"));
            loopThreadId = ThreadAllocation.loopThreadId(loop);
            if (loopState.equals("busy")) {
                spinner = new Spinner(loop);
                loop.execute(spinner);
            } else if (!loopState.equals("idle")) {
                throw new IllegalArgumentException("loopState must be idle or busy: " + loopState);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (spinner != null) {
                spinner.stop = true;
            }
            loop.close();
        }

        @Setup(Level.Iteration)
        public void startCounting() {
            handoffs = 0;
            callerThreadId = Thread.currentThread().getId();
            statsStart = loop.stats();
            callerStart = ThreadAllocation.allocatedBytes(callerThreadId);
            loopStart = ThreadAllocation.allocatedBytes(loopThreadId);
        }

        @TearDown(Level.Iteration)
        public void stopCounting() {
            loopBytes = ThreadAllocation.allocatedBytes(loopThreadId) - loopStart;
            callerBytes = ThreadAllocation.allocatedBytes(callerThreadId) - callerStart;
            LoopStats end = loop.stats();
            wakeups = end.wakeups() - statsStart.wakeups();
            loopIterations = end.iterations() - statsStart.iterations();
            double n = handoffs;
            System.out.printf("(caller: %.3f B/op, loop: %.3f B/op, wakeups: %.3f/op, iterations: %.3f/op"
                    + " over %d hand-offs) ", callerBytes / n, loopBytes / n, wakeups / n, loopIterations / n, handoffs);
        }
    }
}
