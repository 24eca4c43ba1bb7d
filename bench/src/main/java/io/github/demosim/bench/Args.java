package io.github.demosim.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of the stand-alone measurements, with defaults and a clear error for typos. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    private Args(String[] args, Set<String> known, String usage) {
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                System.out.println("usage: " + usage);
                System.exit(0);
            }
            if (!name.startsWith("--") || !known.contains(name.substring(2)) || i + 1 >= args.length) {
                throw new IllegalArgumentException("bad argument '" + name + "'; usage: " + usage);
            }
            values.put(name.substring(2), args[++i]);
        }
    }

    /**
     * Parses the arguments.
     *
     * @param args the command line
     * @param usage the usage line, for errors
     * @param known the option names, without {@code --}
     * @return the options
     */
    static Args parse(String[] args, String usage, String... known) {
        return new Args(args, Set.of(known), usage);
    }

    String text(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    /**
     * A duration in whole milliseconds.
     *
     * @param name the option
     * @return its value, or {@code null} where it is not given
     */
    java.time.Duration millis(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!v.matches("[0-9]{1,10}")) {
            throw new IllegalArgumentException("--" + name + " takes whole milliseconds, got '" + v + "'");
        }
        return java.time.Duration.ofMillis(Long.parseLong(v));
    }

    int number(String name, int defaultValue) {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'", e);
        }
    }
}
