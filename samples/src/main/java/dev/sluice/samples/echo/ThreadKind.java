package dev.sluice.samples.echo;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which threads the blocking server runs its connections on.
 *
 * <p>Thread: any (immutable).
 */
public enum ThreadKind {
    /** One platform (OS) thread per connection: the classic blocking server. */
    PLATFORM,
    /** One virtual thread per connection (JDK 21 and newer). */
    VIRTUAL;

    /** The first JDK where virtual threads are final rather than a preview (JEP 444). */
    private static final int VIRTUAL_THREADS_SINCE = 21;

    /**
     * A factory for this kind of thread; threads are named {@code prefix1}, {@code prefix2}, ...
     *
     * <p>Thread: any.
     *
     * @param prefix the thread name prefix
     * @return the factory
     * @throws UnsupportedOperationException for {@link #VIRTUAL} on a JDK older than 21, with a message
     *                                       that says so
     */
    public ThreadFactory factory(String prefix) {
        if (this == PLATFORM) {
            AtomicLong n = new AtomicLong();
            return r -> {
                Thread t = new Thread(r, prefix + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
        requireVirtualThreads();
        return virtualFactory(prefix);
    }

    /**
     * Fails with a clear message unless virtual threads are available.
     *
     * <p>Thread: any.
     *
     * @throws UnsupportedOperationException on a JDK older than 21
     */
    public static void requireVirtualThreads() {
        int feature = Runtime.version().feature();
        if (feature < VIRTUAL_THREADS_SINCE) {
            throw new UnsupportedOperationException("virtual threads need JDK " + VIRTUAL_THREADS_SINCE
                    + " or newer (running " + Runtime.version() + " from " + System.getProperty("java.home") + ")");
        }
    }

    /**
     * {@code Thread.ofVirtual().name(prefix, 1).factory()}, called reflectively because the build
     * targets {@code --release 17}, where those methods do not exist.
     */
    private static ThreadFactory virtualFactory(String prefix) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
            return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        } catch (InvocationTargetException e) {
            throw new UnsupportedOperationException("virtual threads are not available: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("virtual threads are not available: " + e, e);
        }
    }
}
