package dev.sluice.jmh;

import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.LoopConfig;
import dev.sluice.LoopStats;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
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
 * One echo round trip over loopback TCP per operation: the JMH thread writes a {@code size}-byte
 * message on a blocking {@link SocketChannel} and reads until the whole echo is back.
 *
 * <p>{@code server=sluice} echoes through a started {@link EventLoop} whose handler calls
 * {@code connection.writeCopy(data)}; {@code server=blocking} echoes through {@link BlockingEchoServer},
 * a plain thread on a blocking socket, with the very same client. The difference between the two
 * rows is what the engine adds (selector, loop phases, pooled output) to a single request/response
 * connection, where a dedicated blocking thread is at its best.
 *
 * <p>The target is zero bytes allocated per round trip on the engine side in steady state.
 * {@code -prof gc}'s {@code gc.alloc.rate.norm} sums the allocation of every thread of the forked
 * JVM (JMH 1.37 on JDK 17 adds up {@code getThreadAllocatedBytes} over all threads): client, loop
 * and JMH's own threads. The secondary results split it. They are JMH "events" counters, which JMH
 * sums over the measured iterations, so they are totals: {@code serverBytes} is what the loop thread
 * (or the blocking echo thread) allocated, {@code serverCpuNs} the CPU time it used (divided by
 * {@code roundTrips}, the figure to compare on a machine whose cores are shared: wall time there
 * includes waiting for a core), {@code clientBytes} what the JMH thread allocated, and
 * {@code roundTrips} the divisor (it counts every round trip between the iteration's set-up and
 * tear-down, the ones JMH makes outside its timed window included, because the allocation counters
 * span the same window). Each iteration also prints those ratios. For {@code server=sluice},
 * {@code loopIterations}, {@code loopReads} and {@code loopWrites} come from the loop's own counters
 * ({@link LoopStats}); they read 0 for {@code server=blocking}.
 *
 * <p>{@code -p watchdog=off} runs the loop without its stall watchdog, to measure what the watchdog costs.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar EchoRoundTrip -prof gc}
 * (add {@code -p size=64 -p server=sluice} to pick one row).
 *
 * <p>Thread: JMH's; one benchmark thread (each thread would get its own server and connection).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EchoRoundTripBenchmark {

    /**
     * Thread: JMH's benchmark thread. One round trip.
     *
     * @param echo the server, the client and the per-iteration counters
     * @return the last byte of the echo, so the read cannot be optimized away
     * @throws IOException when the connection fails
     */
    @Benchmark
    public byte roundTrip(Echo echo) throws IOException {
        echo.roundTrips++;
        return echo.roundTrip();
    }

    /**
     * The echo server (engine or blocking baseline), the blocking client, and the secondary results
     * (its public fields; the parameters are package-private so that JMH does not take them for
     * counters). One state for all of it, because JMH 1.37 makes a separate instance of a state for
     * each helper method that takes it as an argument, so counters kept in a second state could not
     * see this one's server.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Echo {
        /** Message size in bytes. */
        @Param({"64", "1024", "16384"})
        int size;

        /** Who echoes: the engine, or a plain blocking thread. */
        @Param({"sluice", "blocking"})
        String server;

        /** The loop's stall watchdog: {@code on} (the default threshold) or {@code off}; sluice only. */
        @Param({"on"})
        String watchdog;

        /** Round trips made, warm-up and warm-down ones included: the divisor for the others. */
        public long roundTrips;
        /** Heap bytes the echoing thread (loop thread, or the blocking echo thread) allocated. */
        public long serverBytes;
        /** Heap bytes the JMH (client) thread allocated. */
        public long clientBytes;
        /** CPU nanoseconds the echoing thread used (steadier than wall time when cores are shared). */
        public long serverCpuNs;
        /** Loop iterations (sluice only). */
        public long loopIterations;
        /** {@code read} calls the loop made (sluice only). */
        public long loopReads;
        /** {@code write} calls the loop made (sluice only). */
        public long loopWrites;

        private EventLoop loop;
        private Listener listener;
        private BlockingEchoServer blocking;
        private long serverThreadId;
        private SocketChannel client;
        private ByteBuffer request;
        private ByteBuffer response;

        private long clientThreadId;
        private long serverStart;
        private long serverCpuStart;
        private long clientStart;
        private LoopStats statsStart;

        /** Thread: JMH's benchmark thread, before the trial. */
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            InetSocketAddress address;
            if (server.equals("sluice")) {
                LoopConfig config = LoopConfig.defaults().withName("sluice-bench-loop");
                if (watchdog.equals("off")) {
                    config = config.withStallThresholdNs(0);
                } else if (!watchdog.equals("on")) {
                    throw new IllegalArgumentException("watchdog must be on or off: " + watchdog);
                }
                loop = EventLoop.start(config);
                ConnectionHandler echo = (connection, data) -> connection.writeCopy(data);
                listener = loop.listen(new InetSocketAddress("127.0.0.1", 0), ListenerConfig.defaults(), () -> echo);
                address = listener.localAddress();
                serverThreadId = ThreadAllocation.loopThreadId(loop);
            } else if (server.equals("blocking")) {
                blocking = BlockingEchoServer.start();
                address = blocking.address();
                serverThreadId = blocking.threadId();
            } else {
                throw new IllegalArgumentException("server must be sluice or blocking: " + server);
            }
            client = SocketChannel.open(address);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            request = ByteBuffer.allocateDirect(size);
            response = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < size; i++) {
                request.put(i, (byte) (i * 31 + 7));
            }
            roundTrip();
            if (!response.flip().equals(request.clear())) {
                throw new IllegalStateException("the echo differs from the request");
            }
        }

        /** Thread: JMH's benchmark thread, after the trial. */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            client.close();
            if (loop != null) {
                listener.close();
                LoopStats stats = loop.stats();
                loop.close();
                if (stats.handlerErrors() != 0 || stats.writesDropped() != 0) {
                    throw new IllegalStateException("the echo loop misbehaved: " + stats);
                }
            }
            if (blocking != null) {
                blocking.close();
            }
        }

        /** Thread: JMH's benchmark thread, before each iteration. */
        @Setup(Level.Iteration)
        public void startCounting() {
            roundTrips = 0;
            loopIterations = 0;
            loopReads = 0;
            loopWrites = 0;
            clientThreadId = Thread.currentThread().getId();
            statsStart = loop == null ? null : loop.stats();
            clientStart = ThreadAllocation.allocatedBytes(clientThreadId);
            serverStart = ThreadAllocation.allocatedBytes(serverThreadId);
            serverCpuStart = ThreadAllocation.cpuNanos(serverThreadId);
        }

        /** Thread: JMH's benchmark thread, after each iteration. */
        @TearDown(Level.Iteration)
        public void stopCounting() {
            serverBytes = ThreadAllocation.allocatedBytes(serverThreadId) - serverStart;
            serverCpuNs = ThreadAllocation.cpuNanos(serverThreadId) - serverCpuStart;
            clientBytes = ThreadAllocation.allocatedBytes(clientThreadId) - clientStart;
            if (statsStart != null) {
                LoopStats end = loop.stats();
                loopIterations = end.iterations() - statsStart.iterations();
                loopReads = end.reads() - statsStart.reads();
                loopWrites = end.writes() - statsStart.writes();
            }
            System.out.printf("(%s thread: %.3f B/op and %.0f CPU ns/op, client thread: %.3f B/op over %d round trips) ",
                    server, serverBytes / (double) roundTrips, serverCpuNs / (double) roundTrips,
                    clientBytes / (double) roundTrips, roundTrips);
        }

        byte roundTrip() throws IOException {
            request.clear();
            while (request.hasRemaining()) {
                client.write(request);
            }
            response.clear();
            while (response.hasRemaining()) {
                if (client.read(response) < 0) {
                    throw new EOFException("the echo server closed the connection");
                }
            }
            return response.get(size - 1);
        }
    }
}
