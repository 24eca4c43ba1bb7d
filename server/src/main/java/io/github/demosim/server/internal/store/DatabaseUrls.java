package io.github.demosim.server.internal.store;

import java.util.Locale;
import java.util.Set;

/**
 * What the server accepts as a database URL, and the settings it adds. An H2 URL naming a file (in any of H2's
 * forms: {@code jdbc:h2:file:…}, a bare path, {@code nio:}/{@code async:}/{@code split:} file systems, or a
 * remote {@code tcp://}/{@code ssl://} database) is opened with {@code WRITE_DELAY=0}, so that every
 * acknowledged message is on disk when the acknowledgement leaves, however the URL was written; a URL that asks
 * for a delay is refused. A name H2 would silently turn into a file called after the typo
 * ({@code jdbc:h2:fil:/x} creates {@code fil:/x.mv.db}) is refused with the likely fix.
 */
public final class DatabaseUrls {
    private static final String H2 = "jdbc:h2:";
    /** H2's file-system prefixes that store in files. */
    private static final Set<String> FILE_SYSTEMS = Set.of("nio", "niomapped", "async", "split", "retry", "rec", "zip");
    /** H2's file-system prefixes that store in memory. */
    private static final Set<String> MEMORY_SYSTEMS = Set.of("memfs", "memlzf", "niomemfs", "niomemlzf");

    private DatabaseUrls() {
    }

    /** How an URL stores. */
    enum Storage { H2_FILE, H2_REMOTE, H2_MEMORY, OTHER }

    /**
     * Checks a URL as typed by a user.
     *
     * @param url the JDBC URL
     * @return the URL
     * @throws IllegalArgumentException naming the mistake and the fix
     */
    public static String check(String url) {
        storage(url);
        durable(url);
        return url;
    }

    /**
     * The URL the server opens: H2 files and remote H2 databases get {@code WRITE_DELAY=0}.
     *
     * @param url a checked URL
     * @return the URL to open
     * @throws IllegalArgumentException if the URL sets another write delay
     */
    public static String durable(String url) {
        Storage storage = storage(url);
        if (storage != Storage.H2_FILE && storage != Storage.H2_REMOTE) {
            return url;
        }
        for (String setting : url.substring(H2.length()).split(";")) {
            int eq = setting.indexOf('=');
            if (eq > 0 && setting.substring(0, eq).strip().equalsIgnoreCase("WRITE_DELAY")) {
                if (setting.substring(eq + 1).strip().equals("0")) {
                    return url;
                }
                throw new IllegalArgumentException("the database URL sets " + setting.strip() + ", which acknowledges "
                        + "messages before they are on disk (a killed server would lose them); remove it: the server "
                        + "opens H2 files with WRITE_DELAY=0");
            }
        }
        return url + ";WRITE_DELAY=0";
    }

    /**
     * The URL to open the database again after it failed: an H2 file must exist by then (a database whose files
     * were lost must not come back empty), so {@code IFEXISTS=TRUE} is added.
     *
     * @param url the URL the server opened
     * @return the URL for reopening
     */
    static String forReopen(String url) {
        return storage(url) == Storage.H2_FILE ? url + ";IFEXISTS=TRUE" : url;
    }

    static Storage storage(String url) {
        if (!url.regionMatches(true, 0, H2, 0, H2.length())) {
            if (url.regionMatches(true, 0, "jdbc:postgres:", 0, 14)) {
                throw new IllegalArgumentException("unknown database URL scheme jdbc:postgres: in " + url
                        + "; did you mean jdbc:postgresql:" + url.substring(14) + "?");
            }
            return Storage.OTHER;
        }
        String name = url.substring(H2.length());
        int semicolon = name.indexOf(';');
        if (semicolon >= 0) {
            name = name.substring(0, semicolon);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mem:")) {
            return Storage.H2_MEMORY;
        }
        if (lower.startsWith("tcp://") || lower.startsWith("ssl://")) {
            return Storage.H2_REMOTE;
        }
        String path = lower.startsWith("file:") ? name.substring(5) : name;
        int colon = path.indexOf(':');
        int slash = firstSlash(path);
        if (colon < 0 || (slash >= 0 && slash < colon)) {
            return Storage.H2_FILE;
        }
        String prefix = path.substring(0, colon);
        String key = prefix.toLowerCase(Locale.ROOT);
        if (prefix.length() == 1 && Character.isLetter(prefix.charAt(0))) {
            return Storage.H2_FILE; // a Windows drive letter
        }
        if (FILE_SYSTEMS.contains(key)) {
            return Storage.H2_FILE;
        }
        if (MEMORY_SYSTEMS.contains(key)) {
            return Storage.H2_MEMORY;
        }
        throw new IllegalArgumentException("unknown H2 database URL form '" + prefix + ":' in " + url + " (H2 would "
                + "create a file named after it); did you mean " + H2 + suggestion(key) + path.substring(colon + 1)
                + "? H2 URLs are jdbc:h2:file:<path>, jdbc:h2:<absolute or ./relative path>, jdbc:h2:mem:<name> or "
                + "jdbc:h2:tcp://<host>/<path>");
    }

    private static int firstSlash(String path) {
        int a = path.indexOf('/');
        int b = path.indexOf('\\');
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    private static String suggestion(String typo) {
        String best = "file:";
        int bestDistance = Integer.MAX_VALUE;
        for (String known : new String[] {"file", "mem", "tcp", "ssl", "nio", "async", "split"}) {
            int d = distance(typo, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known.equals("tcp") || known.equals("ssl") ? known + "://" : known + ":";
            }
        }
        return best;
    }

    /** Levenshtein distance, for short prefixes. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            previous = current;
        }
        return previous[b.length()];
    }
}
