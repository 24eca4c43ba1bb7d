package io.github.demosim.cli;

import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The server's operator options: database credentials, the admin port (metrics, health) and TLS. Secrets (the
 * database and keystore passwords) come from a file or the environment rather than the command line, where
 * {@code ps} shows them; they never appear in help, output or error messages.
 */
final class OperationsOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--db-user", paramLabel = "USER", description = "Database user, when not in --db.")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", arity = "1",
            description = "Database password. Prefer DEMOS_IM_DB_PASSWORD or --db-password-file: other users of the"
                    + " machine can read command lines.")
    String dbPassword;

    @Option(names = "--db-password-file", paramLabel = "FILE",
            description = "Read the database password from this file (its first line).")
    Path dbPasswordFile;

    @Option(names = "--admin-port", paramLabel = "N",
            description = "Serve /metrics (Prometheus), /health/live and /health/ready over HTTP on this port;"
                    + " 0 = any free port, -1 = none. Default: ${DEFAULT-VALUE}.")
    int adminPort = -1;

    @Option(names = "--admin-host", paramLabel = "ADDRESS",
            description = "Interface of the admin port. Default: the same as --host.")
    String adminHost;

    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "Serve wss:// with this PEM certificate chain (needs --tls-key).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The PEM private key (PKCS#8) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-keystore", paramLabel = "P12",
            description = "Serve wss:// with the key and certificate in this PKCS#12 file (instead of PEM files).")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password", paramLabel = "PASSWORD", arity = "1",
            description = "Password of --tls-keystore. Prefer DEMOS_IM_TLS_KEYSTORE_PASSWORD or"
                    + " --tls-keystore-password-file.")
    String tlsKeystorePassword;

    @Option(names = "--tls-keystore-password-file", paramLabel = "FILE",
            description = "Read the password of --tls-keystore from this file (its first line).")
    Path tlsKeystorePasswordFile;

    @Option(names = "--tls-reload", paramLabel = "SECONDS",
            description = "How often to look for a renewed certificate; 0 = never. Default: ${DEFAULT-VALUE}.")
    int tlsReloadSeconds = ServerTls.DEFAULT_RELOAD_SECONDS;

    /**
     * Applies the options to a server builder.
     *
     * @param builder the builder
     * @param host the protocol ports' interface, the admin port's default
     */
    void applyTo(DemosImServer.Builder builder, String host) {
        String password = secret(dbPassword, dbPasswordFile, "--db-password");
        if (password != null || dbUser != null) {
            builder.databaseCredentials(dbUser == null ? "" : dbUser, password == null ? "" : password);
        }
        if (adminPort >= 0) {
            builder.adminPort(adminPort).adminHost(adminHost != null ? adminHost : host);
        } else if (adminPort != -1) {
            throw new ParameterException(spec.commandLine(), "--admin-port must be -1 (none), 0 or 1..65535");
        }
        ServerTls tls = tls();
        if (tls != null) {
            if (tlsReloadSeconds < 0) {
                throw new ParameterException(spec.commandLine(), "--tls-reload must be 0 (never) or more seconds");
            }
            builder.tls(tls.reloadInterval(Duration.ofSeconds(tlsReloadSeconds)));
        }
    }

    private ServerTls tls() {
        if (tlsKeystore != null) {
            if (tlsCert != null || tlsKey != null) {
                throw new ParameterException(spec.commandLine(),
                        "give either --tls-keystore or --tls-cert with --tls-key, not both");
            }
            String password = secret(tlsKeystorePassword, tlsKeystorePasswordFile, "--tls-keystore-password");
            if (password == null) {
                throw new ParameterException(spec.commandLine(), "--tls-keystore needs its password:"
                        + " DEMOS_IM_TLS_KEYSTORE_PASSWORD or --tls-keystore-password-file");
            }
            return ServerTls.pkcs12(tlsKeystore, password.toCharArray());
        }
        if (tlsCert == null && tlsKey == null) {
            return null;
        }
        if (tlsCert == null || tlsKey == null) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        return ServerTls.pem(tlsCert, tlsKey);
    }

    /** The secret from its option (or variable) or its file; never echoed, also not in errors. */
    private String secret(String value, Path file, String option) {
        if (value != null && file != null) {
            throw new ParameterException(spec.commandLine(), "give either " + option + " or " + option + "-file");
        }
        if (file == null) {
            return value;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int eol = text.indexOf('\n');
            return (eol < 0 ? text : text.substring(0, eol)).replace("\r", "");
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + option + "-file " + file + ": "
                    + e.getClass().getSimpleName());
        }
    }
}
