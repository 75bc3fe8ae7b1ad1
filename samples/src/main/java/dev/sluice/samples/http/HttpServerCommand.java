package dev.sluice.samples.http;

import dev.sluice.samples.Sizes;
import dev.sluice.samples.Durations;
import dev.sluice.GroupConfig;
import dev.sluice.GroupListenMode;
import dev.sluice.LoopConfig;
import dev.sluice.TlsConfig;
import dev.sluice.samples.CliException;
import dev.sluice.samples.TlsFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import dev.sluice.samples.support.StatsOption;
import dev.sluice.samples.support.StatsPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Thread: {@link #call()} on the thread that runs the command; it blocks until the server ends
 * (Ctrl-C, or {@link HttpServer#close()} from the started hook).
 *
 * <p>{@code http-server [-p PORT] [--root DIR] [--tls-cert FILE --tls-key FILE]}: the minimal HTTP/1.1 server, for benchmarks and
 * tests. Exit code 0 after a clean stop, 1 when it cannot start, 2 for a usage error.
 */
@Command(name = "http-server", mixinStandardHelpOptions = true,
        description = {"Minimal HTTP/1.1 server on one Sluice event loop (or N, with --loops): GET / answers 'Hello, World!'",
                "(TechEmpower plaintext style), keep-alive, pipelining, optional static files from --root."})
public final class HttpServerCommand implements Callable<Integer> {

    @Option(names = {"-p", "--port"}, defaultValue = "8080", description = "Port to listen on, 0 for any (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--root", paramLabel = "DIR", description = "Serve files from DIR for paths other than /.")
    Path root;

    @Option(names = "--max-request-bytes", defaultValue = "8k", paramLabel = "BYTES", converter = Sizes.IntConverter.class,
            description = "Most bytes of request line and header fields (default: ${DEFAULT-VALUE}).")
    int maxHeadBytes;

    @Option(names = "--max-headers", defaultValue = "100", paramLabel = "N",
            description = "Most header field lines (default: ${DEFAULT-VALUE}).")
    int maxHeaders;

    @Option(names = "--max-body-bytes", defaultValue = "1m", paramLabel = "BYTES", converter = Sizes.LongConverter.class,
            description = "Most request body bytes, read and discarded (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--idle-timeout", defaultValue = "60s", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "Close connections idle this long, 0 for never (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--max-connections", defaultValue = "10000", paramLabel = "N",
            description = "Most connections open at once (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Mixin
    StatsOption stats;

    @Option(names = "--loops", paramLabel = "N",
            description = "Serve on a group of N event loops, one thread each (without it: one plain loop).")
    Integer loops;

    @Option(names = "--listen-mode", defaultValue = "hand-off", paramLabel = "hand-off|reuse-port",
            description = "With --loops: hand-off (one acceptor, each connection to the loop with the fewest) or "
                    + "reuse-port (a socket per loop, SO_REUSEPORT; --max-connections per loop) (default: ${DEFAULT-VALUE}).")
    String listenMode;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve HTTPS: PEM certificate chain (server certificate first). Needs --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "Serve HTTPS: PEM private key, PKCS#8 (BEGIN PRIVATE KEY), RSA or EC. Needs --tls-cert.")
    Path tlsKey;

    private final PrintStream out;
    private final PrintStream err;
    private final Consumer<HttpServer> started;

    /** Thread: any. Prints to {@code System.out} and {@code System.err}; stops on Ctrl-C. */
    public HttpServerCommand() {
        this(System.out, System.err, server -> { });
    }

    /**
     * Thread: any.
     *
     * @param out     where the listening address goes
     * @param err     where errors go
     * @param started called with the running server (tests use it to stop the server)
     */
    public HttpServerCommand(PrintStream out, PrintStream err, Consumer<HttpServer> started) {
        this.out = out;
        this.err = err;
        this.started = started;
    }

    /**
     * Thread: the command's thread.
     *
     * @return 0 after a clean stop, 1 when the server cannot start, 2 for a usage error
     */
    @Override
    public Integer call() {
        HttpServer.Limits limits;
        try {
            limits = new HttpServer.Limits(maxHeadBytes, maxHeaders, maxBodyBytes, idleTimeout.toNanos(), maxConnections);
        } catch (IllegalArgumentException e) {
            err.println("http-server: " + e.getMessage());
            return 2;
        }
        TlsConfig tls;
        try {
            tls = TlsFiles.server(tlsCert, tlsKey);
        } catch (CliException e) {
            err.println("http-server: " + e.getMessage());
            return tlsCert == null || tlsKey == null ? 2 : 1;
        }
        if (root != null && !Files.isDirectory(root)) {
            err.println("http-server: --root " + root + " is not a directory");
            return 1;
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            err.println("http-server: cannot resolve " + host);
            return 1;
        }
        GroupListenMode mode;
        if (listenMode.equals("hand-off") || listenMode.equals("reuse-port")) {
            mode = listenMode.equals("hand-off") ? GroupListenMode.HAND_OFF : GroupListenMode.REUSE_PORT;
        } else {
            err.println("http-server: --listen-mode must be hand-off or reuse-port, got " + listenMode);
            return 2;
        }
        if (loops != null && (loops < 1 || loops > 1024)) {
            err.println("http-server: --loops must be 1..1024, got " + loops);
            return 2;
        }
        HttpServer server;
        try {
            LoopConfig loopConfig = LoopConfig.defaults().withName("http-server");
            server = loops == null ? HttpServer.start(address, root, limits, loopConfig, tls)
                    : HttpServer.start(address, root, limits, new GroupConfig(loops, loopConfig, mode), tls);
        } catch (IOException e) {
            err.println("http-server: cannot listen on " + host + ":" + port + ": " + FetchClient.describe(e));
            return 1;
        }
        Thread hook = new Thread(server::close, "http-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("http-server listening on " + (tls == null ? "http" : "https") + "://" + host + ":" + server.port() + "/"
                + (root == null ? "" : " serving " + root.toAbsolutePath()));
        out.flush();
        StatsPrinter printer = stats.start("http-server", server::stats, out);
        started.accept(server);
        server.awaitTermination(Long.MAX_VALUE);
        printer.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting through the hook itself.
        }
        return 0;
    }
}
