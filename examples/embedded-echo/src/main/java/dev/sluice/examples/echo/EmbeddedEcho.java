package dev.sluice.examples.echo;

import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.LoopConfig;
import dev.sluice.codec.FrameException;
import dev.sluice.codec.LineFramer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Starts a line echo server on an event loop (127.0.0.1, a free port), sends it one line from a plain
 * blocking socket, prints the echo and exits: 0 when the line came back, 1 otherwise. Bounded: every
 * wait on the socket gives up after 10 seconds.
 *
 * <p>Thread: the main thread; the handlers run on the loop's thread.
 */
public final class EmbeddedEcho {
    private static final String LINE = "hello from a named module";
    private static final int TIMEOUT_MS = 10_000;
    private static final ByteBuffer NEWLINE = ByteBuffer.wrap(new byte[] {'\n'}).asReadOnlyBuffer();

    private EmbeddedEcho() {
    }

    /** Echoes each line back with its newline; one per connection, because the framer holds state. */
    private static final class LineEcho implements ConnectionHandler {
        private final LineFramer framer = new LineFramer(1024);

        @Override
        public void onData(Connection connection, ByteBuffer data) {
            try {
                framer.decode(data, line -> {
                    connection.writeCopy(line);
                    connection.writeCopy(NEWLINE.duplicate());
                });
            } catch (FrameException tooLong) {
                connection.close();
            }
        }
    }

    /**
     * Thread: the main thread.
     * Runs the example.
     *
     * @param args none
     * @throws IOException when the loop cannot listen or the client cannot connect
     */
    public static void main(String[] args) throws IOException {
        try (EventLoop loop = EventLoop.start(LoopConfig.defaults().withName("embedded-echo"))) {
            Listener listener = loop.listen(new InetSocketAddress("127.0.0.1", 0), ListenerConfig.defaults(),
                    LineEcho::new);
            String echoed;
            try (Socket client = new Socket()) {
                client.connect(listener.localAddress(), TIMEOUT_MS);
                client.setSoTimeout(TIMEOUT_MS);
                OutputStream out = client.getOutputStream();
                out.write((LINE + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                echoed = in.readLine();
            }
            System.out.println("echoed: " + echoed);
            if (!LINE.equals(echoed)) {
                System.err.println("embedded-echo: expected '" + LINE + "' back");
                System.exit(1);
            }
        }
    }
}
