package io.github.demosim.cli;

import io.github.demosim.Identity;
import io.github.demosim.internal.wire.Stringify;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code demos-im keygen}: creates or derives an identity and prints its public keys. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Create or derive an identity and print its public keys.",
                "A new identity's master seed is written only to --out, readable by its owner alone; --seed-file,"
                        + " --seed or --mnemonic derive an existing one."})
final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    IdentityOptions identityOptions;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the master seed (hex); required for a new identity. Default: none.")
    Path out;

    @Option(names = "--force", description = "Overwrite --out if it exists.")
    boolean force;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        boolean fresh = !identityOptions.present();
        if (fresh && out == null) {
            spec.commandLine().getErr().println("keygen: a new identity needs --out FILE to keep its secret "
                    + "(the master seed is never printed). Example: demos-im keygen --out alice.seed");
            return 2;
        }
        Identity identity = fresh ? Identity.generate() : identityOptions.identity();
        if (out != null) {
            writeSecret(identity, out);
        }
        String ed = identity.ed25519PublicKeyHex();
        String kem = identity.mlKemPublicKey().toBase64();
        String dsa = identity.mlDsaPublicKey().toBase64();
        if (json) {
            stdout.println("{\"ed25519PublicKey\":\"" + ed + "\",\"mlKemPublicKey\":\"" + kem + "\",\"mlDsaPublicKey\":\"" + dsa + "\""
                    + (out == null ? "" : ",\"seedFile\":" + Stringify.quote(out.toString())) + "}");
        } else {
            stdout.println("ed25519 public key (L2PS address): " + ed);
            stdout.println("ML-KEM-768 public key (base64):    " + kem);
            stdout.println("ML-DSA-65 key fingerprint (SHA-256): " + fingerprint(identity.mlDsaPublicKey().toByteArray()));
            if (out != null) {
                stdout.println("master seed written to " + out + " (owner read/write only)");
            }
        }
        stdout.flush();
        return 0;
    }

    private static String fingerprint(byte[] key) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(key));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    private void writeSecret(Identity identity, Path file) throws IOException {
        if (Files.exists(file) && !force) {
            throw new FileAlreadyExistsException(file + " exists; use --force to overwrite it");
        }
        Files.deleteIfExists(file);
        identity.writeSeedFile(file);   // what --seed-file and Identity.fromSeedFile read
    }
}
