package io.github.demosim.internal.peer;

import java.util.Set;

/**
 * An error frame, read: the server's code and text, and where the text says it comes from.
 *
 * @param code the server's code
 * @param message the server's text, or {@code null}
 * @param requestId the echoed request id, or {@code null}
 * @param kinds the request kinds (wire types) the text points to; empty when it points nowhere
 * @param keyHint a key the text names, or {@code null}
 */
public record InboundError(String code, String message, String requestId, Set<String> kinds, String keyHint) {
}
