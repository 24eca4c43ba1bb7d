package io.github.demosim.server.internal;

import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * H2 is a single-process database: one server process per H2 file. A second process on the same file is refused
 * with what happened and the way to several processes (PostgreSQL), not with H2's bare lock error; H2's
 * {@code AUTO_SERVER=TRUE}, which would let a second process in behind the first one's back, is refused at start.
 */
final class SingleProcessDatabase {
    /** H2's "Database may be already in use" (the file is locked by another process). */
    private static final String H2_DATABASE_IN_USE = "90020";
    private static final Pattern AUTO_SERVER = Pattern.compile("(?i);\\s*AUTO_SERVER\\s*=\\s*TRUE");

    private SingleProcessDatabase() {
    }

    /**
     * Refuses an H2 URL that lets other processes share the file.
     *
     * @param url the database URL
     * @throws IllegalArgumentException naming the fix
     */
    static void check(String url) {
        if (url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:") && AUTO_SERVER.matcher(url).find()) {
            throw new IllegalArgumentException("the database URL sets AUTO_SERVER=TRUE, which lets several processes "
                    + "share one H2 file; H2 serves one demos-im server process only: remove it, and use PostgreSQL "
                    + "(--db jdbc:postgresql://...) to run several server processes on one database (docs/cluster.md)");
        }
    }

    /**
     * Whether opening failed because another process holds the H2 file.
     *
     * @param failure what opening threw
     * @return {@code true} for H2's lock error
     */
    static boolean inUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && H2_DATABASE_IN_USE.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The error a second process gets.
     *
     * @param url the database URL
     * @return the message
     */
    static String inUseMessage(String url) {
        return "The demos-im server could not open its database " + url.replaceAll("(?i)(password=)[^&;]*", "$1***")
                + ": another process has this H2 file open (most likely another demos-im server). H2 is a "
                + "single-process database: one server process per H2 file. Stop the other process, or give this one "
                + "its own file; to run several server processes on one database, use PostgreSQL "
                + "(--db jdbc:postgresql://...), see docs/cluster.md.";
    }
}
