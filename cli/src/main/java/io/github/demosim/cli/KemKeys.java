package io.github.demosim.cli;

import io.github.demosim.Bytes;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Parses {@code --kem-key}. */
final class KemKeys {
    private static final int ML_KEM_768_PUBLIC_KEY_BYTES = 1184;

    private KemKeys() {
    }

    /** The key, or {@code null} when the flag was not given; a usage error when it is not a key. */
    static Bytes parse(CommandSpec spec, String base64) {
        if (base64 == null) {
            return null;
        }
        Bytes key;
        try {
            key = Bytes.fromBase64(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--kem-key is not base64: " + e.getMessage());
        }
        if (key.length() != ML_KEM_768_PUBLIC_KEY_BYTES) {
            throw new ParameterException(spec.commandLine(), "--kem-key holds " + key.length() + " bytes; an ML-KEM-768"
                    + " public key has " + ML_KEM_768_PUBLIC_KEY_BYTES + " (the recipient's 'demos-im keygen' prints it)");
        }
        return key;
    }
}
