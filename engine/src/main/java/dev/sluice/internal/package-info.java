/**
 * The engine's internals: the loop's phases, connections, listeners, the timer heap, buffers and
 * counters. Not an API: anything here may change.
 */
package dev.sluice.internal;
