package io.github.demosim.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes ({@code 1048576}, {@code 512k}, {@code 16MiB}, {@code 1g}) and rates ({@code 100:500}) of command options. */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)",
            Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    /** A size in bytes; the units are binary (k = 1024). */
    static long bytes(String text, String option) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " must be a size such as 1048576, 512k, 16MiB or 1g; was '"
                    + text + "'");
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        int shift = unit.isEmpty() || unit.equals("b") ? 0 : unit.startsWith("k") ? 10 : unit.startsWith("m") ? 20 : 30;
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            n = -1; // more digits than a long holds
        }
        if (n < 0 || n > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException(option + " is too large: " + text);
        }
        return n << shift;
    }

    /** {@code PER_SECOND:BURST}, or {@code 0} for off. */
    static int[] rate(String text, String option) {
        String t = text.strip();
        if (t.equals("0")) {
            return new int[] {0, 0};
        }
        String[] parts = t.split(":");
        try {
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())};
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " must be PER_SECOND:BURST (e.g. 100:500) or 0 for off; was '"
                + text + "'");
    }

    /** A size for people: {@code 64 MiB}, {@code 512 KiB}, {@code 100 B}. */
    static String text(long bytes) {
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
