package io.github.demosim.cli;

import io.github.demosim.CryptoException;
import io.github.demosim.Identity;
import java.io.IOException;
import java.util.HexFormat;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command's identity comes from: a master seed in hex, a seed file, or a BIP-39 mnemonic. One rule for
 * seeds, on the command line and in files: exactly {@value #SEED_BYTES} bytes, the size of a Demos wallet's master
 * seed (what the TypeScript SDK derives from a mnemonic and what {@code keygen} writes), so that a seed given here
 * gives the same keys in the SDK. A shorter seed would work, but only here, and usually by mistake.
 */
final class IdentityOptions {
    static final int SEED_BYTES = 128;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    static final class Source {
        @Option(names = "--seed", paramLabel = "HEX", description = "Master seed: " + SEED_BYTES + " bytes in hex (256 digits).")
        String seedHex;

        @Option(names = "--seed-file", paramLabel = "FILE", description = "File holding the master seed in hex, as 'demos-im keygen --out' writes it.")
        Path seedFile;

        @Option(names = "--mnemonic", paramLabel = "WORDS", description = "BIP-39 mnemonic, derived exactly as the TypeScript SDK does.")
        String mnemonic;
    }

    /** Returns whether any source was given. */
    boolean present() {
        return source != null;
    }

    /** Derives the identity, failing with a usage error that names the bad option. */
    Identity identity() {
        if (source == null) {
            throw new ParameterException(spec.commandLine(), "missing identity: give --seed-file FILE, --seed HEX or --mnemonic WORDS");
        }
        if (source.mnemonic != null) {
            if (source.mnemonic.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--mnemonic is empty");
            }
            try {
                return Identity.fromMnemonic(source.mnemonic);
            } catch (CryptoException e) {
                throw new ParameterException(spec.commandLine(), "--mnemonic: " + e.getMessage());
            }
        }
        Identity identity;
        String from;
        if (source.seedFile != null) {
            from = "--seed-file " + source.seedFile;
            try {
                identity = Identity.fromSeedFile(source.seedFile);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read --seed-file " + source.seedFile + ": " + e);
            } catch (CryptoException e) {
                throw new ParameterException(spec.commandLine(), from + ": " + e.getMessage());
            }
        } else {
            from = "--seed";
            String hex = source.seedHex.strip();
            byte[] seed;
            try {
                seed = HexFormat.of().parseHex(hex.startsWith("0x") ? hex.substring(2) : hex);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--seed is not hexadecimal: " + e.getMessage());
            }
            requireSeedLength(from, seed.length);
            return Identity.fromMasterSeed(seed);
        }
        requireSeedLength(from, identity.exportMasterSeed().length);
        return identity;
    }

    private void requireSeedLength(String from, int length) {
        if (length != SEED_BYTES) {
            throw new ParameterException(spec.commandLine(), from + " holds " + length + " bytes; a master seed has "
                    + SEED_BYTES + " (256 hex digits). Make one with 'demos-im keygen --out FILE', or use --mnemonic");
        }
    }
}
