package dev.sluice.reliability;

import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.LoopConfig;
import dev.sluice.LoopStats;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The child process of {@link ReliabilityFdExhaustionTest}: an echo server meant to run under a low
 * {@code ulimit -n}. Prints {@code PORT <n>}, then every 50 ms
 * {@code STATS <nanoTime> <iterations> <acceptErrors> <openConnections>}. Exits when its standard input
 * closes (the parent went away).
 *
 * <p>Before it is exhausted it loads every engine class and runs one echo through itself: once out of
 * descriptors, the JVM cannot open a {@code .class} file, and a class loaded for the first time on the
 * error path would fail with {@code NoClassDefFoundError} instead of showing what the engine does.
 *
 * <p>Thread: main.
 */
public final class FdExhaustionServer {
    private FdExhaustionServer() {
    }

    public static void main(String[] args) throws Exception {
        preloadEngineClasses();
        EventLoop loop = EventLoop.start(LoopConfig.defaults().withName("fd-child")
                .withErrorHandler((c, e) -> { })); // accept failures are counted in the stats
        Listener listener = loop.listen(new InetSocketAddress("127.0.0.1", 0), ListenerConfig.defaults(),
                () -> (c, data) -> c.writeCopy(data));
        echoOnce(listener.localAddress());
        System.out.println("PORT " + listener.localAddress().getPort());
        Thread parentGone = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    continue;
                }
            } catch (IOException ignored) {
                // treated as the parent going away
            }
            System.exit(0);
        }, "stdin-watch");
        parentGone.setDaemon(true);
        parentGone.start();
        while (true) {
            LoopStats s = loop.stats();
            System.out.println("STATS " + System.nanoTime() + " " + s.iterations() + " " + s.acceptErrors()
                    + " " + s.openConnections());
            Thread.sleep(50);
        }
    }

    private static void echoOnce(InetSocketAddress address) throws IOException {
        try (SocketChannel ch = SocketChannel.open(address)) {
            ByteBuffer b = ByteBuffer.wrap(new byte[] {42});
            ch.write(b);
            ch.read(b.clear());
        }
    }

    private static void preloadEngineClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(EventLoop.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isDirectory(root)) {
            return; // from a jar: already open, classes load without a new descriptor
        }
        List<String> names;
        try (Stream<Path> files = Files.walk(root)) {
            names = files.map(p -> root.relativize(p).toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("package-info") && !n.equals("module-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .collect(Collectors.toList());
        }
        for (String name : names) {
            Class.forName(name, false, FdExhaustionServer.class.getClassLoader());
        }
    }
}
