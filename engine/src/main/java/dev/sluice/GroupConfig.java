package dev.sluice;

/**
 * How an {@link EventLoopGroup} is made: how many loops, the configuration each one gets, and how
 * listening sockets are spread over them.
 *
 * <p>Thread: any (immutable).
 *
 * @param loops      the number of loops, each one thread. Default: {@code availableProcessors()}, one
 *                   loop per core, because a loop is single-threaded and more loops than cores only
 *                   adds context switches
 * @param loopConfig the configuration every loop gets; loop {@code i}'s thread is named
 *                   {@code loopConfig.name() + "-" + i}
 * @param listenMode how {@link EventLoopGroup#listen} spreads connections. Default
 *                   {@link GroupListenMode#HAND_OFF}: it works everywhere and balances by open
 *                   connections at every moment; see {@link GroupListenMode} for when
 *                   {@link GroupListenMode#REUSE_PORT} is the better choice
 */
public record GroupConfig(int loops, LoopConfig loopConfig, GroupListenMode listenMode) {

    /**
     * Validates every field.
     *
     * @param loops see the record description
     * @param loopConfig see the record description
     * @param listenMode see the record description
     * @throws IllegalArgumentException naming the value out of range
     */
    public GroupConfig {
        if (loops < 1 || loops > 1024) {
            throw new IllegalArgumentException("loops must be 1..1024: " + loops);
        }
        if (loopConfig == null || listenMode == null) {
            throw new IllegalArgumentException("loopConfig and listenMode are required");
        }
    }

    /**
     * One loop per available processor, {@link LoopConfig#defaults()}, hand-off.
     *
     * <p>Thread: any.
     *
     * @return the defaults
     */
    public static GroupConfig defaults() {
        return new GroupConfig(Runtime.getRuntime().availableProcessors(), LoopConfig.defaults(),
                GroupListenMode.HAND_OFF);
    }

    /**
     * Thread: any.
     *
     * @param n the number of loops
     * @return a copy with this many loops
     */
    public GroupConfig withLoops(int n) {
        return new GroupConfig(n, loopConfig, listenMode);
    }

    /**
     * Thread: any.
     *
     * @param config the configuration every loop gets (its name is the threads' prefix)
     * @return a copy with this loop configuration
     */
    public GroupConfig withLoopConfig(LoopConfig config) {
        return new GroupConfig(loops, config, listenMode);
    }

    /**
     * Thread: any.
     *
     * @param mode how listening sockets are spread
     * @return a copy with this mode
     */
    public GroupConfig withListenMode(GroupListenMode mode) {
        return new GroupConfig(loops, loopConfig, mode);
    }
}
