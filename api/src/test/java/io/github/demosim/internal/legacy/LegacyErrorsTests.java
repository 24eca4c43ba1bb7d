package io.github.demosim.internal.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.legacy.ErrorFrame;
import io.github.demosim.internal.peer.InboundError;
import net.jqwik.api.Example;

/** The error texts of legacy-and-crypto.md §A.7 point to the request kind that caused them. */
class LegacyErrorsTests {

    @Example
    void peerNotFoundNamesTheKeyRequestAndTheClient() {
        InboundError e = LegacyErrors.read(new ErrorFrame("PEER_NOT_FOUND", "Target peer bob not found",
                "2026-07-10T09:15:41.123Z"));
        assertThat(e.kinds()).containsExactly("request_public_key");
        assertThat(e.keyHint()).isEqualTo("bob");
        assertThat(e.requestId()).isNull();
    }

    @Example
    void registrationErrors() {
        assertThat(LegacyErrors.kinds("CLIENT_ID_TAKEN", "Client ID alice is already taken")).containsExactly("register");
        assertThat(LegacyErrors.kinds("INVALID_PUBLIC_KEY", "Invalid public key format")).containsExactly("register");
        assertThat(LegacyErrors.kinds("INVALID_PROOF", "Invalid proof")).containsExactly("register");
        assertThat(LegacyErrors.kinds("INVALID_MESSAGE", "Invalid message schema")).containsExactly("register");
        assertThat(LegacyErrors.kinds("INTERNAL_ERROR", "Failed to complete registration")).containsExactly("register");
    }

    @Example
    void messageErrorsNameTheSendWhichWaitsForNothing() {
        assertThat(LegacyErrors.kinds("REGISTRATION_REQUIRED", "You must register before sending messages"))
                .containsExactly("message");
        assertThat(LegacyErrors.kinds("INVALID_MESSAGE", "Missing required message fields")).containsExactly("message");
        assertThat(LegacyErrors.kinds("INTERNAL_ERROR", "Failed to store message")).containsExactly("message");
        assertThat(LegacyErrors.kinds("INTERNAL_ERROR", "Failed to store offline message")).containsExactly("message");
        assertThat(LegacyErrors.kinds("INTERNAL_ERROR",
                "Offline message limit reached (100 messages). Please wait for recipient to come online."))
                .containsExactly("message");
    }

    @Example
    void otherKinds() {
        assertThat(LegacyErrors.kinds("REGISTRATION_REQUIRED", "You must register before sending debug messages"))
                .containsExactly("debug_question");
        assertThat(LegacyErrors.kinds("INVALID_MESSAGE", "Missing target ID")).containsExactly("request_public_key");
        assertThat(LegacyErrors.kinds("INVALID_MESSAGE", "Unknown message type: peer_response"))
                .containsExactly("peer_response");
        assertThat(LegacyErrors.kinds("INTERNAL_ERROR", "Failed to retrieve peer list")).containsExactly("discover");
        assertThat(LegacyErrors.kinds("INTERNAL_ERROR", "JSON Parse error: Unexpected identifier")).isEmpty();
        assertThat(LegacyErrors.kinds("INVALID_MESSAGE", "Invalid message format")).isEmpty();
    }
}
