package dev.sluice.study;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens N idle connections to a server, prints "READY n", and holds them until its stdin closes. The
 * study uses it to measure what an idle connection costs a server.
 *
 * <p>Usage: {@code IdleClients HOST PORT N}
 */
public final class IdleClients {
    private IdleClients() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int n = Integer.parseInt(args[2]);
        List<SocketChannel> open = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                open.add(SocketChannel.open(target));
            }
            System.out.println("READY " + open.size());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the connections until the study closes our stdin
            }
        } finally {
            for (SocketChannel ch : open) {
                ch.close();
            }
        }
    }
}
