package io.github.demosim.server.internal.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A cluster notice: a kind and the ids of the rows to look at, never a message body. PostgreSQL carries a
 * NOTIFY payload of under 8,000 bytes and drops notices a session missed, so a notice is a hint and the tables
 * are the truth. On the wire it is the kind and the ids separated by single spaces.
 *
 * @param kind what happened, lower case ({@code node_down}, {@code takeover})
 * @param ids the rows concerned: node ids, protocol names, key digests
 */
public record Notice(String kind, List<String> ids) {
    /** PostgreSQL's bound on a NOTIFY payload (default build): "shorter than 8000 bytes". */
    public static final int MAX_PAYLOAD_BYTES = 7999;
    private static final Pattern KIND = Pattern.compile("[a-z_]{1,32}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    /** A node's lease expired and its rows were removed; ids: the node id. */
    public static final String NODE_DOWN = "node_down";
    /** A key registered on another node; ids: the node that had it, the protocol, the key digest. */
    public static final String TAKEOVER = "takeover";
    /** A key registered (or registered again); ids: the node it is on now, the protocol, the key digest. */
    public static final String JOINED = "joined";
    /** A key unregistered from a node; ids: that node, the protocol, the key digest. */
    public static final String LEFT = "left";
    /**
     * Stored rows for peers of a node; ids: the sending node, the node addressed (or {@code any}), the protocol, a
     * purpose word, then one {@code rowId:recipientDigestPrefix} per row (see {@link NodeRouting}).
     */
    public static final String ROWS = "rows";

    /**
     * Checks the notice.
     *
     * @throws IllegalArgumentException for a kind or id outside the alphabet, or a payload too long
     */
    public Notice {
        if (!KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("notice kind must match " + KIND + ": " + kind);
        }
        ids = List.copyOf(ids);
        for (String id : ids) {
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("notice ids name rows (letters, digits, . _ : -, at most 200): "
                        + (id.length() > 40 ? id.substring(0, 40) + "..." : id));
            }
        }
        int bytes = kind.length() + ids.stream().mapToInt(i -> i.length() + 1).sum();
        if (bytes > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("a notice payload of " + bytes + " bytes is over PostgreSQL's "
                    + MAX_PAYLOAD_BYTES + "; notices name rows, they never carry data: send fewer ids");
        }
    }

    /**
     * Checks one id.
     *
     * @param id a row's id
     * @throws IllegalArgumentException if a notice cannot carry it
     */
    static void checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("notice ids name rows (letters, digits, . _ : -, at most 200): "
                    + (id.length() > 40 ? id.substring(0, 40) + "..." : id));
        }
    }

    /**
     * Builds a notice.
     *
     * @param kind what happened
     * @param ids the rows concerned
     * @return the notice
     */
    public static Notice of(String kind, String... ids) {
        return new Notice(kind, List.of(ids));
    }

    String payload() {
        StringBuilder b = new StringBuilder(kind);
        ids.forEach(id -> b.append(' ').append(id));
        String s = b.toString();
        assert s.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES;
        return s;
    }

    /**
     * Reads a payload.
     *
     * @param payload what NOTIFY carried
     * @return the notice
     * @throws IllegalArgumentException if it is not one (another program on the channel)
     */
    static Notice parse(String payload) {
        String[] parts = payload.split(" ", -1);
        List<String> ids = new ArrayList<>(parts.length - 1);
        for (int i = 1; i < parts.length; i++) {
            ids.add(parts[i]);
        }
        return new Notice(parts[0], ids);
    }
}
