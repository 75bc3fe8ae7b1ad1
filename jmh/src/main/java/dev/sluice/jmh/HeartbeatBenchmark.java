package dev.sluice.jmh;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;
import dev.sluice.Heartbeat;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.LoopConfig;
import dev.sluice.LoopStats;
import dev.sluice.ManualClock;
import dev.sluice.TimeoutKind;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Heartbeat} on {@value #CONNECTIONS} idle connections: one invocation moves the loop's
 * {@link ManualClock} one heartbeat interval on and runs one iteration, in which the previous round's
 * pings are flushed (one {@code write} each) and every connection's read-idle timer fires and queues
 * its next ping. JMH divides by {@value #CONNECTIONS} ({@code @OperationsPerInvocation}), so one
 * operation is <b>one beat of one connection</b>, and {@code -prof gc}'s {@code gc.alloc.rate.norm} is
 * bytes per beat: the claim is 0.
 *
 * <p>The loop is made with {@link EventLoop#create} and driven by the JMH thread, so the loop thread
 * is the benchmark thread and {@code -prof gc} sees the engine's allocation and the benchmark's only
 * (JMH's own threads are idle while it measures). The far ends live in another process
 * ({@link IdlePeers}), because 10,000 connections with both ends in one process are 20,000
 * descriptors, over this machine's hard {@code ulimit -n} of 20,000. {@code peers=silent}: they read
 * and never answer (the heartbeat's miss limit is set out of reach, so nobody is closed);
 * {@code peers=answering}: they answer every ping with {@code /pong}, read in whatever later
 * iteration it arrives, so the beat includes a read and {@link Heartbeat#received()}. A pong read in
 * the same iteration as its connection's timer restarts the idle period, and that connection skips
 * the round's ping: activity resets the timer, as it should, so there the tear-down checks only that
 * every queued ping was written.
 *
 * <p>Each iteration also prints the loop thread's own allocation per beat
 * ({@link ThreadAllocation}): {@code gc.alloc.rate.norm} adds in every thread of the JVM, and JMH's own
 * per-iteration bookkeeping, spread over an iteration's beats, shows up in it as a fraction of a byte.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar Heartbeat -prof gc}. The trial's tear-down
 * checks that every connection is still open and that every round's pings were written, and fails
 * the run otherwise.
 *
 * <p>Thread: JMH's; one benchmark thread, which is the loop's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HeartbeatBenchmark {
    static final int CONNECTIONS = 10_000;
    private static final long INTERVAL_NS = 10_000_000_000L;
    private static final long T0 = 1_000_000_000L;
    private static final ByteBuffer PING = ByteBuffer.allocateDirect(6)
            .put("/ping\n".getBytes(StandardCharsets.US_ASCII)).flip().asReadOnlyBuffer();

    /** Whether the far ends answer pings. */
    @Param({"silent", "answering"})
    public String peers;

    private final ManualClock clock = new ManualClock(T0);
    private final List<Beating> handlers = new ArrayList<>();
    private EventLoop loop;
    private Process peerProcess;
    private long now = T0;
    private long rounds;
    private LoopStats atStart;
    private long iterationRounds;
    private long iterationStartBytes;

    /** A connection that beats and otherwise does nothing. */
    static final class Beating implements ConnectionHandler {
        final Heartbeat heartbeat = new Heartbeat(PING, Integer.MAX_VALUE);
        boolean closed;

        @Override
        public void onData(Connection c, ByteBuffer data) {
            heartbeat.received();
            data.position(data.limit());
        }

        @Override
        public boolean onTimeout(Connection c, TimeoutKind kind) {
            return heartbeat.onTimeout(c, kind);
        }

        @Override
        public void onClose(Connection c, CloseReason reason, Throwable cause) {
            closed = true;
        }
    }

    /**
     * Thread: JMH's benchmark thread. Listens, starts the peer process and accepts its {@value #CONNECTIONS}
     * connections at T0.
     *
     * @throws Exception when the peers cannot be started or connected
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        loop = EventLoop.create(LoopConfig.defaults().withName("heartbeat-bench").withClock(clock));
        ConnectionConfig cc = ConnectionConfig.defaults().withReadIdleTimeoutNs(INTERVAL_NS);
        ListenerConfig lc = ListenerConfig.defaults().withBacklog(4096).withAcceptBatch(256)
                .withMaxConnections(CONNECTIONS).withConnectionConfig(cc);
        Listener listener = loop.listen(new InetSocketAddress("127.0.0.1", 0), lc, () -> {
            Beating b = new Beating();
            handlers.add(b);
            return b;
        });
        String java = ProcessHandle.current().info().command().orElse("java");
        peerProcess = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                IdlePeers.class.getName(), "127.0.0.1", "" + listener.localAddress().getPort(), "" + CONNECTIONS,
                peers).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CountDownLatch ready = new CountDownLatch(1);
        String[] answer = new String[1];
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(peerProcess.getInputStream(),
                    StandardCharsets.UTF_8))) {
                answer[0] = r.readLine();
            } catch (IOException e) {
                answer[0] = e.toString();
            }
            ready.countDown();
        }, "idle-peers-stdout");
        reader.setDaemon(true);
        reader.start();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (ready.getCount() > 0 || loop.stats().openConnections() < CONNECTIONS) {
            if (System.nanoTime() - giveUp > 0 || (ready.getCount() == 0 && !("ready " + CONNECTIONS).equals(answer[0]))) {
                throw new IllegalStateException("peers did not connect: " + answer[0] + ", open "
                        + loop.stats().openConnections());
            }
            loop.runOnce(T0);
        }
        atStart = loop.stats();
    }

    /** Thread: JMH's benchmark thread. Starts counting the loop thread's own allocation: it is this thread. */
    @Setup(Level.Iteration)
    public void startCounting() {
        iterationRounds = rounds;
        iterationStartBytes = ThreadAllocation.allocatedBytes(Thread.currentThread().getId());
    }

    /**
     * Thread: JMH's benchmark thread. Prints the loop thread's bytes per beat, apart from anything other
     * threads allocated.
     */
    @TearDown(Level.Iteration)
    public void stopCounting() {
        long bytes = ThreadAllocation.allocatedBytes(Thread.currentThread().getId()) - iterationStartBytes;
        long beats = (rounds - iterationRounds) * CONNECTIONS;
        System.out.printf("(loop thread: %d bytes over %d beats, %.4f B/beat) ", bytes, beats, (double) bytes / beats);
    }

    /**
     * Thread: JMH's benchmark thread. One heartbeat round of every connection.
     *
     * @return the loop time, so nothing is optimised away
     */
    @Benchmark
    @OperationsPerInvocation(CONNECTIONS)
    public long beat() {
        now += INTERVAL_NS;
        rounds++;
        loop.runOnce(now);
        return now;
    }

    /**
     * Thread: JMH's benchmark thread. Flushes the last round, checks that nobody closed and every round's
     * pings went out, and ends the peers.
     *
     * @throws Exception if the peers cannot be told to end
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        loop.runOnce(now); // the last round's pings
        LoopStats end = loop.stats();
        long pings = 0;
        int closed = 0;
        for (Beating b : handlers) {
            pings += b.heartbeat.pingsSent();
            closed += b.closed ? 1 : 0;
        }
        long written = end.bytesWritten() - atStart.bytesWritten();
        System.out.printf("%n%d rounds x %d connections: %d pings queued, %d bytes written, %d closed, %d bytes read%n",
                rounds, CONNECTIONS, pings, written, closed, end.bytesRead() - atStart.bytesRead());
        loop.close();
        peerProcess.getOutputStream().close();
        if (!peerProcess.waitFor(30, TimeUnit.SECONDS)) {
            peerProcess.destroy();
        }
        boolean everyRound = !peers.equals("silent") || pings == rounds * CONNECTIONS;
        if (closed != 0 || !everyRound || written != pings * PING.remaining()) {
            throw new IllegalStateException("not every connection beat every round: see the line above");
        }
    }
}
