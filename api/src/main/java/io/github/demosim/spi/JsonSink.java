package io.github.demosim.spi;

import java.math.BigDecimal;

/**
 * Receives one JSON value as events, in document order: the SDK's frame mapping calls it, a codec's
 * {@link JsonSyntax} implements it on its JSON library's writer (see {@link JsonSyntax#write} for the text it
 * must produce). Members are {@link #name} followed by exactly one value. Calls always nest correctly, at most
 * 1,000 levels deep; a sink need not check them. A sink is used by one thread, once.
 */
public interface JsonSink {

    /** Starts an object. */
    void beginObject();

    /**
     * Writes a member name; the member's value follows.
     *
     * @param name the name, not {@code null}
     */
    void name(String name);

    /** Ends the current object. */
    void endObject();

    /** Starts an array. */
    void beginArray();

    /** Ends the current array. */
    void endArray();

    /**
     * Writes a string.
     *
     * @param value the text, not {@code null}
     */
    void string(String value);

    /**
     * Writes an integer.
     *
     * @param value the number
     */
    void number(long value);

    /**
     * Writes a number with its exact decimal value, as {@link BigDecimal#toString()} spells it, so that a number
     * relayed from input keeps its literal ({@code 1.50} stays {@code 1.50}).
     *
     * @param value the number, not {@code null}
     */
    void number(BigDecimal value);

    /**
     * Writes {@code true} or {@code false}.
     *
     * @param value the boolean
     */
    void bool(boolean value);

    /** Writes {@code null}. */
    void nullValue();
}
