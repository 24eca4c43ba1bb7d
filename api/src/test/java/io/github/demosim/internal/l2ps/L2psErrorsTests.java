package io.github.demosim.internal.l2ps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import net.jqwik.api.Example;

/** The error texts of l2ps.md §4.4 point to the request kind that caused them. */
class L2psErrorsTests {

    @Example
    void registerErrors() {
        assertThat(L2psErrors.kinds("INVALID_MESSAGE", "Missing publicKey, l2psUid, or proof")).containsExactly("register");
        assertThat(L2psErrors.kinds("INVALID_MESSAGE", "Invalid publicKey format (expected hex)")).containsExactly("register");
        assertThat(L2psErrors.kinds("L2PS_NOT_FOUND", "L2PS network x not found")).containsExactly("register");
        assertThat(L2psErrors.kinds("INVALID_PROOF", "Signature verification failed")).containsExactly("register");
        assertThat(L2psErrors.kinds("INVALID_PROOF", "Proof verification error: TypeError: bad")).containsExactly("register");
    }

    @Example
    void sendErrors() {
        for (String m : new String[] {"Missing to, encrypted, or messageHash",
            "Encrypted payload must have ciphertext and nonce", "Ciphertext too large (max 131072 bytes)",
            "Cannot send message to yourself"}) {
            assertThat(L2psErrors.kinds("INVALID_MESSAGE", m)).containsExactly("send");
        }
        assertThat(L2psErrors.kinds("L2PS_SUBMIT_FAILED", "Duplicate message")).containsExactly("send");
        assertThat(L2psErrors.kinds("L2PS_SUBMIT_FAILED", "Offline message limit reached")).containsExactly("send");
        assertThat(L2psErrors.kinds("REGISTRATION_REQUIRED", "Register before sending")).containsExactly("send");
    }

    @Example
    void otherRequests() {
        assertThat(L2psErrors.kinds("INVALID_PROOF", "History proof failed")).containsExactly("history");
        assertThat(L2psErrors.kinds("INVALID_PROOF", "Proof verification error")).containsExactly("history");
        assertThat(L2psErrors.kinds("INVALID_MESSAGE", "Missing peerKey or proof")).containsExactly("history");
        assertThat(L2psErrors.kinds("REGISTRATION_REQUIRED", "Register first")).containsExactly("history");
        assertThat(L2psErrors.kinds("REGISTRATION_REQUIRED", "Register before discovering peers")).containsExactly("discover");
        assertThat(L2psErrors.kinds("REGISTRATION_REQUIRED", "Register before requesting public keys"))
                .containsExactly("request_public_key");
        assertThat(L2psErrors.kinds("INVALID_MESSAGE", "Missing targetId")).containsExactly("request_public_key");
        assertThat(L2psErrors.kinds("INVALID_MESSAGE", "Unknown type: ack")).containsExactly("ack");
    }

    @Example
    void textsThatNameNoRequestFallBackToTheOldest() {
        assertThat(L2psErrors.kinds("INTERNAL_ERROR", "Internal server error")).isEmpty();
        assertThat(L2psErrors.kinds("INVALID_MESSAGE", "Invalid JSON")).isEmpty();
        assertThat(L2psErrors.kinds("RATE_LIMITED", null)).isEqualTo(Set.of());
        // checklist item 35: an error frame without message is tolerated
        assertThat(L2psErrors.kinds("INVALID_MESSAGE", null)).isEmpty();
    }
}
