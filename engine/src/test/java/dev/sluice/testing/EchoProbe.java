package dev.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * A well-behaved client, for proving that a loop under attack still serves everyone else: on its own
 * thread it connects, sends {@code rounds} messages one at a time, checks each echo byte for byte, then
 * half-closes, reads the server's close and closes. Each message is printable ASCII ending in
 * {@code '\n'}, so the same probe works against a byte echo and a line echo.
 *
 * <p>Every blocking call has a 20 s socket timeout: a probe cannot hang a test, only fail it.
 *
 * <p>Thread: {@link #start} from any thread; the future completes on the probe's thread.
 */
public final class EchoProbe {
    private static final int SO_TIMEOUT_MS = 20_000;

    /** What a probe did. */
    public record Result(int rounds, long bytes, long elapsedNs) {
    }

    private EchoProbe() {
    }

    /**
     * Starts a probe on a new daemon thread.
     *
     * @param address      the echo server
     * @param rounds       messages to exchange
     * @param messageBytes size of each message, including its {@code '\n'}
     * @param seed         seeds the message contents
     * @return completes with the result, or exceptionally on any mismatch or I/O error
     */
    public static CompletableFuture<Result> start(InetSocketAddress address, int rounds, int messageBytes, long seed) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(run(address, rounds, messageBytes, seed));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "echo-probe-" + seed);
        t.setDaemon(true);
        t.start();
        return result;
    }

    private static Result run(InetSocketAddress address, int rounds, int messageBytes, long seed) throws IOException {
        long start = System.nanoTime();
        Random random = new Random(seed);
        byte[] message = new byte[messageBytes];
        byte[] echo = new byte[messageBytes];
        try (Socket s = new Socket()) {
            s.setSoTimeout(SO_TIMEOUT_MS);
            s.setTcpNoDelay(true);
            s.connect(address, SO_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < messageBytes - 1; i++) {
                    message[i] = (byte) (' ' + random.nextInt(95)); // printable, never '\n'
                }
                message[messageBytes - 1] = '\n';
                out.write(message);
                int got = 0;
                while (got < messageBytes) {
                    int n = in.read(echo, got, messageBytes - got);
                    if (n < 0) {
                        throw new IOException("EOF after " + got + " of " + messageBytes + " bytes in round " + r);
                    }
                    got += n;
                }
                if (!Arrays.equals(message, echo)) {
                    throw new IOException("echo differs from what was sent in round " + r);
                }
            }
            s.shutdownOutput();
            if (in.read() != -1) {
                throw new IOException("bytes after the last echo");
            }
        }
        return new Result(rounds, (long) rounds * messageBytes, System.nanoTime() - start);
    }
}
