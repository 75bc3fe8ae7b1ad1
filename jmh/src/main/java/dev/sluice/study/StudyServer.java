package dev.sluice.study;

import dev.sluice.EventLoop;
import dev.sluice.GroupListenMode;
import dev.sluice.LoopConfig;
import dev.sluice.LoopStats;
import dev.sluice.samples.echo.BlockingEchoServer;
import dev.sluice.samples.echo.EchoGroupServer;
import dev.sluice.samples.echo.EchoServer;
import dev.sluice.samples.echo.ServerConfig;
import dev.sluice.samples.echo.ThreadKind;
import dev.sluice.samples.TlsFiles;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One echo server in its own JVM, driven by the study over stdin/stdout:
 *
 * <pre>
 *   start:   prints "PORT n"
 *   "stats": prints "STATS cpu_ns=.. bytes=.. reads=.. writes=.. selects=.. partial=.. iterations=.."
 *            (loop counters are -1 for servers that have none)
 *   "heap":  runs GC until the heap stops shrinking, prints "HEAP used_bytes"
 *   "quit" or EOF: closes the server and exits
 * </pre>
 *
 * <p>Usage: {@code StudyServer sluice|sluice-spin|blocking-platform|blocking-virtual|netty}, or with N
 * loops: {@code sluice-handoff-N}, {@code sluice-reuseport-N} (an {@code EventLoopGroup} of N) and
 * {@code netty-N} (a Netty NIO group of N). Over TLS, one loop, both on the JDK's {@code SSLEngine}:
 * {@code StudyServer sluice-tls|netty-tls CERT.pem KEY.pem} (the samples' echo server with a
 * {@code TlsConfig}, and Netty's echo behind an {@code SslHandler}); stats count plaintext bytes.
 * {@code raw-nio} is the floor, no engine: {@link RawNioEchoServer}.
 */
public final class StudyServer {
    private StudyServer() {
    }

    /** What the study asks every kind of server. */
    private interface Probe extends AutoCloseable {
        long bytesEchoed();

        LoopStats loopStats(); // null when the server has no loop

        @Override
        void close();
    }

    /**
     * Thread: the main thread; it reads the study's commands until EOF. Usage in the class javadoc.
     *
     * @param args the kind, and for a TLS kind the certificate and key files
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "sluice";
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        ServerConfig config = ServerConfig.defaults().withAddress("127.0.0.1", 0).withMaxConnections(1_000_000);
        Probe probe;
        int port;
        int loops = loopsOf(kind);
        switch (loops > 0 ? kind.substring(0, kind.lastIndexOf('-')) : kind) {
            case "sluice-handoff", "sluice-reuseport" -> {
                GroupListenMode mode = kind.startsWith("sluice-reuseport") ? GroupListenMode.REUSE_PORT : GroupListenMode.HAND_OFF;
                EchoGroupServer s = EchoGroupServer.start(loops, mode, config, quiet);
                port = s.address().getPort();
                probe = new Probe() {
                    public long bytesEchoed() { return s.stats().bytesWritten(); }
                    public LoopStats loopStats() { return s.stats(); }
                    public void close() { s.close(); }
                };
            }
            case "sluice", "sluice-spin" -> {
                // sluice-spin polls 200 times with selectNow before parking: does skipping the epoll
                // wake-up change the one-connection round trip, where blocking wins?
                EchoServer s = kind.equals("sluice") ? EchoServer.start(config, quiet)
                        : EchoServer.start(EventLoop.start(LoopConfig.defaults().withName("sluice-spin").withSpinSelects(200)),
                                config, quiet);
                port = s.address().getPort();
                probe = new Probe() {
                    public long bytesEchoed() { return s.stats().bytesWritten(); }
                    public LoopStats loopStats() { return s.stats(); }
                    public void close() { s.close(); }
                };
            }
            case "blocking-platform", "blocking-virtual" -> {
                ThreadKind tk = kind.endsWith("virtual") ? ThreadKind.VIRTUAL : ThreadKind.PLATFORM;
                BlockingEchoServer s = BlockingEchoServer.start(config, tk, quiet);
                port = s.address().getPort();
                probe = new Probe() {
                    public long bytesEchoed() { return s.bytesEchoed(); }
                    public LoopStats loopStats() { return null; }
                    public void close() { s.close(); }
                };
            }
            case "sluice-tls" -> {
                EchoServer s = EchoServer.start(config, quiet, TlsFiles.server(pemArg(args, 1), pemArg(args, 2)));
                port = s.address().getPort();
                probe = new Probe() {
                    public long bytesEchoed() { return s.stats().bytesWritten(); } // plaintext, under TLS too
                    public LoopStats loopStats() { return s.stats(); }
                    public void close() { s.close(); }
                };
            }
            case "netty", "netty-tls" -> {
                NettyEchoServer s = new NettyEchoServer(new InetSocketAddress("127.0.0.1", 0), Math.max(1, loops),
                        isTls(kind) ? NettyTls.server(pemArg(args, 1), pemArg(args, 2)) : null);
                port = s.address().getPort();
                probe = new Probe() {
                    public long bytesEchoed() { return s.bytesEchoed.sum(); }
                    public LoopStats loopStats() { return null; }
                    public void close() { s.close(); }
                };
            }
            case "raw-nio" -> {
                RawNioEchoServer s = RawNioEchoServer.start(new InetSocketAddress("127.0.0.1", 0));
                port = s.address().getPort();
                probe = new Probe() {
                    public long bytesEchoed() { return s.bytesEchoed(); }
                    public LoopStats loopStats() { return null; }
                    public void close() { s.close(); }
                };
            }
            default -> {
                System.err.println("unknown server kind: " + kind + " (sluice, sluice-spin, blocking-platform, blocking-virtual, netty, raw-nio, "
                        + "sluice-handoff-N, sluice-reuseport-N, netty-N, sluice-tls CERT KEY, netty-tls CERT KEY)");
                System.exit(2);
                return;
            }
        }
        out.println("PORT " + port);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            if (line.equals("stats")) {
                LoopStats s = probe.loopStats();
                out.println(String.format(Locale.ROOT, "STATS cpu_ns=%d bytes=%d reads=%d writes=%d selects=%d partial=%d iterations=%d",
                        os.getProcessCpuTime(), probe.bytesEchoed(),
                        s == null ? -1 : s.reads(), s == null ? -1 : s.writes(),
                        s == null ? -1 : s.selects() + s.selectNows(), s == null ? -1 : s.partialWrites(),
                        s == null ? -1 : s.iterations()));
            } else if (line.equals("heap")) {
                out.println("HEAP " + settledHeapUsed());
            }
        }
        probe.close();
        System.exit(0);
    }

    /** @return whether the kind serves TLS, and so takes the certificate and key files after its name */
    static boolean isTls(String kind) {
        return kind.endsWith("-tls");
    }

    private static Path pemArg(String[] args, int index) {
        if (args.length <= index) {
            System.err.println("usage: StudyServer " + args[0] + " CERT.pem KEY.pem");
            System.exit(2);
        }
        return Path.of(args[index]);
    }

    /** @return N for a kind ending in "-N" (a loop count), else 0 */
    static int loopsOf(String kind) {
        int dash = kind.lastIndexOf('-');
        String tail = dash < 0 ? "" : kind.substring(dash + 1);
        return !tail.isEmpty() && tail.chars().allMatch(Character::isDigit) ? Integer.parseInt(tail) : 0;
    }

    /** Live heap: collect until the used heap stops shrinking (System.gc is a request, not a promise). */
    static long settledHeapUsed() throws InterruptedException {
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(50);
            used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (used >= previous) {
                break;
            }
            previous = used;
        }
        return used;
    }
}
