package dev.sluice.study;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The Netty peer for the samples' {@code http-server}: Netty 4.2's NIO transport on one event loop
 * (accepting and serving, as {@code http-server} without {@code --loops}), {@code HttpServerCodec}, and
 * {@link NettyHttpHandler} answering {@code GET /} with the same status, fields and body. With
 * {@code --tls-cert} and {@code --tls-key} an {@code SslHandler} (JDK provider, {@link NettyTls}) comes
 * first, loading the same PEM files {@code http-server --tls-cert --tls-key} takes. This is the server to
 * put under {@code wrk -t1} and {@code http-bench} next to {@code http-server}, plain or https.
 *
 * <p>Run: {@code java -cp jmh/target/benchmarks.jar dev.sluice.study.NettyHttpServer [--port P]
 * [--tls-cert F --tls-key F]}; it prints the address it listens on, port included, and serves until
 * killed. {@link SelfSignedCert} makes a certificate and key for it.
 *
 * <p>Thread: {@link #start} and {@link #close} from any thread; the handlers run on Netty's loop.
 */
public final class NettyHttpServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel server;

    private NettyHttpServer(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /**
     * Thread: any. Binds and starts serving; the port is bound when this returns.
     *
     * @param address where to listen, port 0 for any free one
     * @param tls     a server context for one {@code SslHandler} per connection, or null for plain HTTP
     * @return the running server
     * @throws InterruptedException when interrupted while binding
     */
    public static NettyHttpServer start(InetSocketAddress address, SslContext tls) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline p = ch.pipeline();
                            if (tls != null) {
                                p.addLast(tls.newHandler(ch.alloc()));
                            }
                            p.addLast(new HttpServerCodec(), new NettyHttpHandler());
                        }
                    })
                    .bind(address).sync().channel();
            return new NettyHttpServer(group, server);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Thread: any.
     *
     * @return the bound port
     */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * Thread: any.
     *
     * @return whether the loop has ended (after {@link #close()})
     */
    public boolean isTerminated() {
        return group.isTerminated();
    }

    /**
     * Thread: any other than the server's loop. Stops listening, closes every connection and ends the
     * loop, waiting for it. Idempotent.
     */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The command line: {@code netty-http-server [--host H] [--port P] [--tls-cert F --tls-key F]}. */
    @Command(name = "netty-http-server", mixinStandardHelpOptions = true,
            description = {"Netty 4.2 on one NIO loop answering GET / like sluice-samples http-server ('Hello, World!',",
                    "keep-alive, pipelining), optionally over TLS (JDK SSLEngine): the peer for wrk and http-bench."})
    static final class Cli implements Callable<Integer> {
        @Option(names = {"-p", "--port"}, defaultValue = "8080", description = "Port to listen on, 0 for any (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS: PEM certificate chain. Needs --tls-key.")
        Path tlsCert;

        @Option(names = "--tls-key", paramLabel = "FILE", description = "Serve HTTPS: PEM PKCS#8 private key. Needs --tls-cert.")
        Path tlsKey;

        private final PrintStream out;
        private final PrintStream err;

        Cli(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        /**
         * Thread: the command's thread; it blocks until the server is closed (the JVM's shutdown, Ctrl-C).
         *
         * @return 0 after a clean stop, 1 when it cannot start, 2 for a usage error
         */
        @Override
        public Integer call() throws InterruptedException {
            if ((tlsCert == null) != (tlsKey == null)) {
                err.println("netty-http-server: --tls-cert and --tls-key go together: give both, or neither for plain HTTP");
                return 2;
            }
            SslContext tls;
            try {
                tls = tlsCert == null ? null : NettyTls.server(tlsCert, tlsKey);
            } catch (IOException | IllegalArgumentException e) {
                err.println("netty-http-server: cannot load the TLS certificate and key: " + e.getMessage());
                return 1;
            }
            NettyHttpServer server;
            try {
                server = start(new InetSocketAddress(host, port), tls);
            } catch (RuntimeException e) { // Netty rethrows the bind's IOException unchecked from sync()
                err.println("netty-http-server: cannot listen on " + host + ":" + port + ": " + e);
                return 1;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "netty-http-server-shutdown"));
            out.println("netty-http-server listening on " + (tls == null ? "http" : "https") + "://" + host + ":"
                    + server.port() + "/");
            out.flush();
            server.server.closeFuture().sync();
            return 0;
        }
    }

    /**
     * Thread: the main thread; serves until the JVM is stopped.
     *
     * @param args the options of {@link Cli}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Cli(System.out, System.err)).execute(args));
    }
}
