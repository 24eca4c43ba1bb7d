package io.github.demosim.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The other side is what the issue names: the published SDK 2.9.1, on a Node.js the scripts support. */
@Timeout(120)
class NodeSideTests {

    @Test
    void theOracleRunsThePublishedSdk() {
        try (NodeScript oracle = NodeScript.start("crypto-oracle.mjs")) {
            JsonNode version = oracle.call(NodeScript.op("version"));
            assertThat(version.path("sdkVersion").asText()).isEqualTo("2.9.1");
            assertThat(version.path("node").asText()).isEqualTo(NodeRuntime.get().version());
        }
    }

    @Test
    void aBadCommandIsAnErrorReplyNotACrash() {
        try (NodeScript oracle = NodeScript.start("crypto-oracle.mjs")) {
            JsonNode reply = oracle.callRaw(NodeScript.op("no-such-op"));
            assertThat(reply.path("ok").asBoolean()).isFalse();
            assertThat(reply.path("error").asText()).contains("unknown op 'no-such-op'");
            assertThat(oracle.call(NodeScript.op("version")).path("ok").asBoolean()).isTrue();
        }
    }
}
