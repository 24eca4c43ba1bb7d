package io.github.demosim.cli;

import io.github.demosim.Identity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Where a command's identity comes from: a master seed in hex, a seed file, or a BIP-39 mnemonic. */
final class IdentityOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    static final class Source {
        @Option(names = "--seed", paramLabel = "HEX", description = "Master seed in hex (128 bytes for SDK compatibility).")
        String seedHex;

        @Option(names = "--seed-file", paramLabel = "FILE", description = "File holding the master seed in hex, as written by 'demos-im keygen'.")
        Path seedFile;

        @Option(names = "--mnemonic", paramLabel = "WORDS", description = "BIP-39 mnemonic (or any passphrase), derived exactly as the TypeScript SDK does.")
        String mnemonic;
    }

    /** Returns whether any source was given. */
    boolean present() {
        return source != null;
    }

    /** Derives the identity, failing with a usage error that names the bad option. */
    Identity identity() {
        if (source == null) {
            throw new ParameterException(spec.commandLine(), "Missing identity: give --seed HEX, --seed-file FILE or --mnemonic WORDS.");
        }
        if (source.mnemonic != null) {
            if (source.mnemonic.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--mnemonic is empty.");
            }
            return Identity.fromMnemonic(source.mnemonic);
        }
        String hex;
        String from;
        if (source.seedFile != null) {
            try {
                hex = Files.readString(source.seedFile, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "Cannot read --seed-file " + source.seedFile + ": " + e.getMessage());
            }
            from = "--seed-file " + source.seedFile;
        } else {
            hex = source.seedHex.strip();
            from = "--seed";
        }
        byte[] seed;
        try {
            seed = HexFormat.of().parseHex(hex.startsWith("0x") ? hex.substring(2) : hex);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), from + " is not hexadecimal: " + e.getMessage());
        }
        if (seed.length == 0) {
            throw new ParameterException(spec.commandLine(), from + " is empty.");
        }
        return Identity.fromMasterSeed(seed);
    }
}
