package dev.sluice.internal;

import dev.sluice.CloseReason;

import java.util.Arrays;

/**
 * What a loop holds open: connections (with an index each, so removal is O(1)), listeners and
 * datagram endpoints. Shutdown walks these; the open-connections gauge is kept here.
 *
 * <p>Thread: loop only.
 */
final class Registry {
    private final Counters counters;
    private SocketConnection[] open = new SocketConnection[64];
    private int openCount;
    private ServerListener[] listeners = new ServerListener[4];
    private int listenerCount;
    private DatagramEndpointImpl[] endpoints = new DatagramEndpointImpl[4];
    private int endpointCount;

    Registry(Counters counters) {
        this.counters = counters;
    }

    int openConnections() {
        return openCount;
    }

    void add(SocketConnection c) {
        if (openCount == open.length) {
            open = Arrays.copyOf(open, openCount * 2);
        }
        c.registryIndex = openCount;
        open[openCount++] = c;
        counters.set(Counters.OPEN_CONNECTIONS, openCount);
    }

    void remove(SocketConnection c) {
        int i = c.registryIndex;
        if (i < 0) {
            return;
        }
        SocketConnection last = open[--openCount];
        open[i] = last;
        last.registryIndex = i;
        open[openCount] = null;
        c.registryIndex = -1;
        counters.set(Counters.OPEN_CONNECTIONS, openCount);
    }

    void add(ServerListener l) {
        if (listenerCount == listeners.length) {
            listeners = Arrays.copyOf(listeners, listenerCount * 2);
        }
        listeners[listenerCount++] = l;
    }

    void remove(ServerListener l) {
        for (int i = 0; i < listenerCount; i++) {
            if (listeners[i] == l) {
                listeners[i] = listeners[--listenerCount];
                listeners[listenerCount] = null;
                return;
            }
        }
    }

    void add(DatagramEndpointImpl e) {
        if (endpointCount == endpoints.length) {
            endpoints = Arrays.copyOf(endpoints, endpointCount * 2);
        }
        endpoints[endpointCount++] = e;
    }

    void remove(DatagramEndpointImpl e) {
        for (int i = 0; i < endpointCount; i++) {
            if (endpoints[i] == e) {
                endpoints[i] = endpoints[--endpointCount];
                endpoints[endpointCount] = null;
                return;
            }
        }
    }

    /** Closes every listener and endpoint: nothing new comes in. Each removes itself as it closes. */
    void closeListenersAndEndpoints(CloseReason endpointReason) {
        for (int i = listenerCount - 1; i >= 0; i--) {
            listeners[i].close();
        }
        for (int i = endpointCount - 1; i >= 0; i--) {
            endpoints[i].closeNow(endpointReason, null);
        }
    }

    /** Starts a graceful close of every connection. */
    void closeAllGracefully(CloseReason reason) {
        for (int i = openCount - 1; i >= 0; i--) {
            open[i].life.closeGracefully(reason);
        }
    }

    /** Closes every connection at once. */
    void closeAllNow(CloseReason reason) {
        for (int i = openCount - 1; i >= 0; i--) {
            open[i].life.closeNow(reason, null);
        }
    }
}
