package dev.sluice.samples.echo;

import dev.sluice.GroupListenMode;
import dev.sluice.samples.Threads;
import dev.sluice.testing.LoopFixture;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;

/** Starts either echo server for a test, with the leak check that fits it. Thread: the test thread. */
enum Servers {
    /** On a fixture loop, so the fixture's close proves the loop ended with nothing left open. */
    NIO {
        @Override
        Running start(ServerConfig config, PrintStream log, LoopFixture fixture) throws IOException {
            EchoServer s = EchoServer.start(fixture.startLoop(), config, log);
            return new Running(s.address(), s::close);
        }
    },
    /** On a fixture group of 2 loops (hand-off), each loop with its own handler state; the fixture checks both. */
    GROUP {
        @Override
        Running start(ServerConfig config, PrintStream log, LoopFixture fixture) throws IOException {
            EchoGroupServer s = EchoGroupServer.start(fixture.startGroup(2, GroupListenMode.HAND_OFF), config, log);
            return new Running(s.address(), s::close);
        }
    },
    /** Thread per connection; closing proves every connection thread and the acceptor ended. */
    BLOCKING {
        @Override
        Running start(ServerConfig config, PrintStream log, LoopFixture fixture) throws IOException {
            BlockingEchoServer s = BlockingEchoServer.start(config, ThreadKind.PLATFORM, log);
            return new Running(s.address(), () -> {
                s.close();
                if (s.openConnections() != 0) {
                    throw new AssertionError(s.openConnections() + " connections left open");
                }
                Threads.assertNoneAlive("blocking-echo-");
            });
        }
    };

    abstract Running start(ServerConfig config, PrintStream log, LoopFixture fixture) throws IOException;

    /** A started server: where it listens, and how to stop it and check it left nothing behind. */
    record Running(InetSocketAddress address, Stopper stopper) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            stopper.stop();
        }
    }

    @FunctionalInterface
    interface Stopper {
        void stop() throws Exception;
    }
}
