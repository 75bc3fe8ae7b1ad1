/**
 * An application that embeds Sluice as a named module: it reads {@code dev.sluice} and
 * {@code dev.sluice.codec}, the two packages the engine exports, and nothing else.
 */
module dev.sluice.examples.echo {
    requires dev.sluice;
}
