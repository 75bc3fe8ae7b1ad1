/**
 * What the commands share: {@code HOST:PORT} parsing and running a server until Ctrl-C
 * ({@link dev.sluice.samples.support.CommandSupport}), and the servers' {@code --stats-interval}
 * ({@link dev.sluice.samples.support.StatsOption}, {@link dev.sluice.samples.support.StatsPrinter}).
 */
package dev.sluice.samples.support;
