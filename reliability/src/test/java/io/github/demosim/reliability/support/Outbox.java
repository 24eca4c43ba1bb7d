package io.github.demosim.reliability.support;

import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.frame.l2ps.Encrypted;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages an application has to deliver to one recipient, each encrypted once with ml-kem-aes and given a
 * unique hash up front, so that a retry repeats exactly the same send.
 */
public final class Outbox {
    private static final DemosCrypto CRYPTO = DemosCrypto.load();

    /** One prepared message. */
    public record Item(String to, String text, Encrypted encrypted, String messageHash) {
    }

    private final List<Item> items = new ArrayList<>();
    private final Map<String, String> textByHash = new ConcurrentHashMap<>();

    /** Prepares {@code count} messages to {@code recipient}, with texts {@code <label>-<i>}. */
    public static Outbox of(Identity recipient, String label, int count) {
        return of(recipient, label, count, 0);
    }

    /** As {@link #of(Identity, String, int)}, each text padded to at least {@code padTo} characters. */
    public static Outbox of(Identity recipient, String label, int count, int padTo) {
        Outbox o = new Outbox();
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder(label).append('-').append(i);
            while (text.length() < padTo) {
                text.append('.');
            }
            Encrypted e = CRYPTO.seal(recipient.mlKemPublicKey(), text.toString().getBytes(StandardCharsets.UTF_8))
                    .toL2psEncrypted();
            String hash = Wire.newHash();
            o.items.add(new Item(recipient.ed25519PublicKeyHex(), text.toString(), e, hash));
            o.textByHash.put(hash, text.toString());
        }
        return o;
    }

    public List<Item> items() {
        return items;
    }

    /** Every hash, in order. */
    public List<String> hashes() {
        return items.stream().map(Item::messageHash).toList();
    }

    /** The text a hash stands for, or null. */
    public String textOf(String hash) {
        return textByHash.get(hash);
    }
}
