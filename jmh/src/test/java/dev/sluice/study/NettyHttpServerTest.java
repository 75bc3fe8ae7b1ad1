package dev.sluice.study;

import dev.sluice.LoopConfig;
import dev.sluice.samples.TlsFiles;
import dev.sluice.samples.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Netty HTTP peer answers like the samples' {@code http-server}: the same pipelined requests on one
 * connection, plain and over TLS, get the same bytes from both servers apart from the {@code Date} and
 * {@code Server} values, and both end the connection after the {@code Connection: close} request (the
 * read reaches end of stream; the request pipelined behind it is not answered). Both servers run in
 * this JVM on 127.0.0.1, port 0, and both loops have ended when each test is done.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyHttpServerTest {
    private static final String HOST = "Host: localhost\r\n";
    /** Every answer http-server gives without files, kept alive, and then a close. */
    private static final String SCRIPT = "GET / HTTP/1.1\r\n" + HOST + "\r\n"
            + "HEAD / HTTP/1.1\r\n" + HOST + "\r\n"
            + "GET /plaintext HTTP/1.1\r\n" + HOST + "\r\n"
            + "GET /nope HTTP/1.1\r\n" + HOST + "\r\n"
            + "DELETE / HTTP/1.1\r\n" + HOST + "\r\n"
            + "GET http://localhost/ HTTP/1.1\r\n" + HOST + "\r\n"
            + "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
            + "GET / HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n"
            + "GET /after-close HTTP/1.1\r\n" + HOST + "\r\n";
    private static final int ANSWERED = 8;
    private static final Pattern DATE = Pattern.compile("\r\nDate: [^\r]+\r\n");
    private static final Pattern SERVER = Pattern.compile("\r\nServer: (sluice|netty)\r\n");

    @TempDir
    static Path dir;
    static SelfSignedCert cert;

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = SelfSignedCert.in(dir);
    }

    @AfterAll
    static void deleteCertificate() throws Exception {
        cert.close();
    }

    @Test
    void shouldAnswerPlainHttpExactlyLikeHttpServer() throws Exception {
        assertSameAnswers(false);
    }

    @Test
    void shouldAnswerHttpsExactlyLikeHttpServer() throws Exception {
        assertSameAnswers(true);
    }

    private static void assertSameAnswers(boolean tls) throws Exception {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        HttpServer sluice = HttpServer.start(any, null, HttpServer.Limits.defaults(),
                LoopConfig.defaults().withName("http-server-test"), tls ? TlsFiles.server(cert.certPem, cert.keyPem) : null);
        String fromSluice;
        try {
            fromSluice = exchange(sluice.port(), tls);
        } finally {
            sluice.close();
        }
        NettyHttpServer netty = NettyHttpServer.start(any, tls ? NettyTls.server(cert.certPem, cert.keyPem) : null);
        String fromNetty;
        try {
            fromNetty = exchange(netty.port(), tls);
        } finally {
            netty.close();
        }
        assertTrue(sluice.awaitTermination(TimeUnit.SECONDS.toNanos(10)), "http-server's loop ended");
        assertTrue(netty.isTerminated(), "the Netty peer's loop ended");

        assertTrue(fromNetty.contains("\r\nServer: netty\r\n"), fromNetty);
        assertEquals(masked(fromSluice), masked(fromNetty), "the same bytes, but for Date and Server");
        String answers = masked(fromNetty);
        assertEquals(ANSWERED, answers.split("HTTP/1\\.1 ", -1).length - 1, answers);
        assertTrue(answers.startsWith("HTTP/1.1 200 OK\r\nServer: -\r\nDate: -\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 13\r\n\r\nHello, World!HTTP/1.1 200 OK\r\n"), answers);
        assertTrue(answers.contains("HTTP/1.1 404 Not Found\r\n"), answers);
        assertTrue(answers.contains("Allow: GET, HEAD\r\n\r\nMethod Not Allowed\n"), answers);
        assertTrue(answers.contains("Connection: keep-alive\r\n\r\nHello, World!"), "HTTP/1.0 kept alive: " + answers);
        assertTrue(answers.endsWith("Content-Length: 13\r\nConnection: close\r\n\r\nHello, World!"), answers);
    }

    /** Sends the script in one write (pipelined) and reads until the server ends the connection. */
    private static String exchange(int port, boolean tls) throws Exception {
        try (Socket s = tls ? VerifyingTlsClient.connect(cert, port) : new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000); // a server that never closes fails the test instead of hanging it
            s.getOutputStream().write(SCRIPT.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String masked(String responses) {
        return SERVER.matcher(DATE.matcher(responses).replaceAll("\r\nDate: -\r\n")).replaceAll("\r\nServer: -\r\n");
    }
}
