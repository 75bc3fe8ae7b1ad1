package dev.sluice.samples.chat;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;
import dev.sluice.LoopConfig;
import dev.sluice.codec.FrameSink;
import dev.sluice.codec.FrameTooLongException;
import dev.sluice.codec.LineFramer;
import dev.sluice.samples.support.CommandSupport;
import dev.sluice.samples.Durations;
import dev.sluice.samples.OldSpellings;
import picocli.CommandLine.Command;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code chat-client HOST:PORT}: a terminal for {@link ChatServer}. Lines typed go to the server; lines
 * from the server are printed as they arrive, except the server's heartbeat {@code /ping}, which the
 * client answers with {@code /pong} by itself. End of input (Ctrl-D) sends {@code /quit}; the server
 * closing ends the client.
 *
 * <p>Thread: the calling thread waits for the connection to close; a daemon thread reads standard input
 * and writes through {@link Connection#write} (any thread), waiting while the connection is not
 * writable so a long paste cannot queue without bound; the loop thread prints what arrives.
 */
@Command(name = "chat-client", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Client for chat-server: typed lines are sent, received lines printed. "
                + "Ctrl-D sends /quit. Commands: /nick NAME, /who, /quit.")
public final class ChatClientCommand implements Callable<Integer> {
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The chat server, e.g. localhost:7100.")
    String server;

    @Option(names = "--nick", paramLabel = "NAME", description = "Nick to take on joining (sends /nick NAME).")
    String nick;

    @Option(names = "--connect-timeout", defaultValue = "10s", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "How long the connect may take. Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Option(names = "--connect-timeout-ms", hidden = true, paramLabel = "MS")
    void oldConnectTimeoutMs(String value) {
        throw OldSpellings.renamed(spec, "--connect-timeout-ms", "--connect-timeout " + OldSpellings.millis(value));
    }

    /** With the process's standard streams. */
    public ChatClientCommand() {
        this(System.in, System.out, System.err);
    }

    /**
     * With the given streams, so tests can run the command in-process.
     *
     * @param in  standard input
     * @param out standard output
     * @param err standard error
     */
    public ChatClientCommand(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        InetSocketAddress address;
        try {
            address = CommandSupport.resolve(server);
        } catch (IllegalArgumentException e) {
            err.println("chat-client: " + e.getMessage());
            return 2;
        }
        Terminal terminal = new Terminal(out);
        try (EventLoop loop = EventLoop.start(LoopConfig.defaults().withName("chat-client"))) {
            Connection c = loop.connect(address, ConnectionConfig.defaults()
                    .withConnectTimeoutNs(connectTimeout.toNanos()), terminal);
            if (!terminal.awaitOpen()) {
                err.println("chat-client: cannot connect to " + server + ": " + terminal.failure());
                return 1;
            }
            if (nick != null) {
                c.write(line("/nick " + nick));
            }
            Thread reader = new Thread(() -> typeLines(c, terminal), "chat-client-stdin");
            reader.setDaemon(true); // a blocked read of standard input must not keep the process alive
            reader.start();
            terminal.closed.await();
        }
        return 0;
    }

    private void typeLines(Connection c, Terminal terminal) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String typed;
            while ((typed = r.readLine()) != null) {
                if (!terminal.awaitWritable()) {
                    return;
                }
                c.write(line(typed));
            }
            c.write(line("/quit"));
        } catch (IOException e) {
            err.println("chat-client: reading standard input: " + e.getMessage());
            c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ByteBuffer line(String text) {
        return ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Prints what the server sends and tracks the connection's state for the stdin thread. */
    private static final class Terminal implements ConnectionHandler, FrameSink {
        /** The server's heartbeat line, without its terminator, as the framer hands it over. */
        private static final ByteBuffer PING = ByteBuffer.wrap("/ping".getBytes(StandardCharsets.US_ASCII))
                .asReadOnlyBuffer();
        private final ByteBuffer pong = ByteBuffer.wrap("/pong\n".getBytes(StandardCharsets.US_ASCII));
        final CountDownLatch opened = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        private final PrintStream out;
        private final LineFramer framer = new LineFramer(64 * 1024);
        private final Object lock = new Object();
        private boolean writable = true;
        private boolean open = true;
        private volatile boolean connected;
        private volatile String failure;
        private Connection connection;

        Terminal(PrintStream out) {
            this.out = out;
        }

        @Override
        public void onOpen(Connection c) {
            connection = c;
            connected = true;
            opened.countDown();
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            try {
                framer.decode(data, this);
            } catch (FrameTooLongException e) {
                failure = "the server sent a line longer than 64 KiB";
                c.close();
            }
        }

        @Override
        public void onFrame(ByteBuffer line) {
            if (line.equals(PING)) {
                pong.rewind();
                connection.writeCopy(pong); // one whole line, between the whole lines the stdin thread sends
                return;
            }
            out.println(StandardCharsets.UTF_8.decode(line));
        }

        @Override
        public void onWritabilityChanged(Connection c, boolean nowWritable) {
            synchronized (lock) {
                writable = nowWritable;
                lock.notifyAll();
            }
        }

        @Override
        public void onClose(Connection c, CloseReason reason, Throwable cause) {
            if (failure == null) {
                failure = cause != null ? cause.getMessage() : reason.toString();
            }
            synchronized (lock) {
                open = false;
                lock.notifyAll();
            }
            opened.countDown();
            closed.countDown();
        }

        boolean awaitOpen() throws InterruptedException {
            opened.await();
            return connected;
        }

        boolean awaitWritable() throws InterruptedException {
            synchronized (lock) {
                while (open && !writable) {
                    lock.wait();
                }
                return open;
            }
        }

        String failure() {
            return failure;
        }
    }
}
