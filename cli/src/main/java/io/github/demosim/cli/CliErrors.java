package io.github.demosim.cli;

import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Says a failure in the command's terms. The SDK's messages are written for programmers ("raise
 * TransportOptions.connectTimeout", "Raise the timeout on the builder"); here the fix is a flag. Failures the
 * command can act on get their own text; in the rest, the SDK's advice is replaced by the flag that does the same.
 */
final class CliErrors {
    /** SDK advice → the command's flag for it. Checked by CliTests: no message names an SDK type or method. */
    private static final List<Map.Entry<String, String>> ADVICE = List.of(
            Map.entry("raise TransportOptions.connectTimeout", "raise --connect-timeout SECONDS"),
            Map.entry("Raise the timeout on the builder if the server is slow",
                    "Check that --server is the right server and protocol (--protocol), or try again if it is busy"),
            Map.entry("pass an SSLContext that trusts it with TransportOptions.sslContext",
                    "add its certificate to the JDK's trust store (the command trusts the JDK's default CAs)"),
            Map.entry("TransportOptions.maxFrameBytes", "the largest frame the transport accepts"),
            Map.entry("TransportOptions.idleTimeout", "the idle timeout"),
            Map.entry("TransportOptions.inboundBufferFrames", "the inbound buffer"),
            Map.entry("Call connect() to try again", "Run the command again"),
            Map.entry("Call connect() first", "The command could not connect"),
            Map.entry("asked for by name in code", "asked for with --transport"),
            Map.entry("Choose one by name on the builder or", "Choose one with --transport or"),
            Map.entry("Send it plain text, or pin its key (TrustStore.pin) if you know it reads envelopes",
                    "Send it plain text: --text without --reply-to or --react"));

    private CliErrors() {
    }

    /** One line for {@code failure}, ending in the SDK's error code where there is one. */
    static String describe(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ImException im) {
            return describe(im);
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    private static String describe(ImException e) {
        if (e.code() == ErrorCode.PROTOCOL_MISMATCH) {
            String m = e.getMessage();
            boolean legacyServer = m.contains("legacy signaling server");
            String where = m.substring(0, m.indexOf(" answered"));
            return where + " speaks the " + (legacyServer ? "legacy signaling" : "L2PS messaging") + " protocol. "
                    + (legacyServer
                            ? "Add --protocol legacy --id CLIENT-ID, or point --server at the L2PS port (3006 by default)"
                            : "Leave out --protocol legacy, or point --server at the legacy port (3005 by default)")
                    + " [" + e.code().id() + "]";
        }
        String message = e.getMessage();
        int call = message.indexOf("sendText(");
        if (e.code() == ErrorCode.KEY_NOT_FOUND && call >= 0) {
            // the SDK says which method takes the key; the command has a flag for it
            int sentence = message.lastIndexOf(". ", call);
            int code = message.lastIndexOf(" [");
            message = message.substring(0, sentence < 0 ? 0 : sentence + 2) + "Pass --kem-key BASE64: the recipient's"
                    + " 'demos-im keygen' prints its ML-KEM-768 key" + (code > call ? message.substring(code) : "");
        }
        for (Map.Entry<String, String> advice : ADVICE) {
            message = message.replace(advice.getKey(), advice.getValue());
        }
        return message;
    }
}
