package dev.sluice.study;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * The peer everybody knows: Netty's NIO transport with N event loops (one by default) for both
 * accepting and serving, echoing with the idiomatic write-on-read, flush-on-read-complete pattern.
 * With N loops one group is both parent and child group, as Sluice's hand-off mode uses loop 0 for
 * accepting too; Netty registers each accepted channel on {@code next()}, round robin. The group is
 * Netty 4.2's {@code MultiThreadIoEventLoopGroup} with {@code NioIoHandler}, which 4.2 prefers to the
 * deprecated {@code NioEventLoopGroup} (the same selector loop underneath).
 *
 * <p>Over TLS ({@code netty-tls}), each channel gets an {@code SslHandler} from {@link NettyTls} in
 * front of the same echo handler: it sees and counts plaintext, as Sluice's TLS echo does.
 * A dependency of the study only; the engine never sees Netty.
 *
 * <p>Thread: start and close from any thread; the handler runs on Netty's loop.
 */
final class NettyEchoServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel server;
    /** A LongAdder, not an AtomicLong: with N loops one shared counter would bounce between cores. */
    final LongAdder bytesEchoed = new LongAdder();

    @ChannelHandler.Sharable
    private final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            bytesEchoed.add(((ByteBuf) msg).readableBytes());
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    NettyEchoServer(InetSocketAddress address, int loops) throws InterruptedException {
        this(address, loops, null);
    }

    /**
     * @param address where to listen
     * @param loops   event loops, one thread each
     * @param tls     a server context for one {@code SslHandler} per channel, or null for plain TCP
     */
    NettyEchoServer(InetSocketAddress address, int loops, SslContext tls) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(loops, NioIoHandler.newFactory());
        Echo echo = new Echo();
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(echo);
                    }
                })
                .bind(address).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
