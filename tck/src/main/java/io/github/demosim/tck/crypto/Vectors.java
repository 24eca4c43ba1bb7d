package io.github.demosim.tck.crypto;

import io.github.demosim.Bytes;
import io.github.demosim.frame.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The known-answer vectors bundled with the TCK (copied from the project's shared vectors; see
 * {@code docs/crypto.md}): {@code kat.json} and its {@code .hex} files ({@code kat.mjs}), the TypeScript SDK
 * 2.9.1 vectors, and the {@code connectWallet} vectors ({@code connect-wallet-vectors.mjs}).
 */
public final class Vectors {
    private static final JsonValue KAT = json("kat.json");
    private static final JsonValue SDK = json("ts-sdk-2.9.1-vectors.json");
    private static final JsonValue CONNECT_WALLET = json("connect-wallet-vectors.json");

    private Vectors() {
    }

    /**
     * Returns {@code kat.json}.
     *
     * @return the object
     */
    public static JsonValue kat() {
        return KAT;
    }

    /**
     * Returns {@code ts-sdk-2.9.1-vectors.json}.
     *
     * @return the object
     */
    public static JsonValue sdk() {
        return SDK;
    }

    /**
     * Returns {@code connect-wallet-vectors.json}.
     *
     * @return the object
     */
    public static JsonValue connectWallet() {
        return CONNECT_WALLET;
    }

    /**
     * Reads a bundled {@code .hex} file.
     *
     * @param name e.g. {@code kem_ct.hex}
     * @return its bytes
     */
    public static Bytes hexFile(String name) {
        return Bytes.fromHex(resource(name).strip());
    }

    /**
     * Returns the value at a path of member names and array indexes.
     *
     * @param root the root
     * @param path names, or decimal indexes for arrays
     * @return the value
     * @throws IllegalArgumentException if the path does not exist
     */
    public static JsonValue at(JsonValue root, String... path) {
        JsonValue current = root;
        for (String step : path) {
            if (current instanceof JsonValue.JsonArray array) {
                current = array.elements().get(Integer.parseInt(step));
            } else {
                JsonValue from = current;
                current = current.get(step).orElseThrow(
                        () -> new IllegalArgumentException("no member '" + step + "' in " + describe(from)));
            }
        }
        return current;
    }

    /**
     * Returns the string at a path.
     *
     * @param root the root
     * @param path the path
     * @return the string
     */
    public static String text(JsonValue root, String... path) {
        JsonValue value = at(root, path);
        return value.asString().orElseThrow(() -> new IllegalArgumentException("not a string: " + describe(value)));
    }

    /**
     * Returns the hex string at a path as bytes.
     *
     * @param root the root
     * @param path the path
     * @return the bytes
     */
    public static Bytes hex(JsonValue root, String... path) {
        return Bytes.fromHex(text(root, path));
    }

    /**
     * Returns the integer at a path.
     *
     * @param root the root
     * @param path the path
     * @return the number
     */
    public static long number(JsonValue root, String... path) {
        JsonValue value = at(root, path);
        if (value instanceof JsonValue.JsonNumber n) {
            return n.value().longValueExact();
        }
        throw new IllegalArgumentException("not a number: " + describe(value));
    }

    /**
     * Returns the elements of the array at a path.
     *
     * @param root the root
     * @param path the path
     * @return the elements
     */
    public static List<JsonValue> elements(JsonValue root, String... path) {
        JsonValue value = at(root, path);
        if (value instanceof JsonValue.JsonArray array) {
            return array.elements();
        }
        throw new IllegalArgumentException("not an array: " + describe(value));
    }

    /**
     * Parses JSON text (used for the frames embedded in the vectors as strings).
     *
     * @param text the JSON text
     * @return the value
     */
    public static JsonValue parse(String text) {
        return MiniJson.parse(text);
    }

    private static String describe(JsonValue value) {
        String s = String.valueOf(value);
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    private static JsonValue json(String name) {
        return MiniJson.parse(resource(name));
    }

    private static String resource(String name) {
        try (InputStream in = Vectors.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing TCK resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
