/**
 * JMH benchmarks of the engine, one class per concern: echo round trip against a blocking baseline,
 * cross-thread execute and wakeup, the timer heap, the line framer and the gathering write. Each
 * class's javadoc says what one operation is and how to run it; {@code docs/benchmarks.md} has the
 * build and run commands and the results.
 *
 * <p>Benchmarks reach into {@code dev.sluice.internal} on purpose: the internals they measure are
 * public classes of that package.
 */
package dev.sluice.jmh;
