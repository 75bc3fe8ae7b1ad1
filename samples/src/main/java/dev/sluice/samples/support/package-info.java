/**
 * What the chat, file and UDP commands share: {@code HOST:PORT} parsing and running a server until
 * Ctrl-C ({@link dev.sluice.samples.support.CommandSupport}).
 */
package dev.sluice.samples.support;
