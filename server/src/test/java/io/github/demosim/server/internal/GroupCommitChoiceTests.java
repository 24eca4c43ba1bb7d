package io.github.demosim.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit on both databases (the A/B of docs/performance.md); the property turns it off for the A/B. */
class GroupCommitChoiceTests {
    private static final String PROPERTY = "demos.im.store.groupCommit";

    @AfterEach
    void clear() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void bothDatabasesGroupTheirCommitsByDefault() {
        assertThat(ServerRuntime.groupCommit("jdbc:h2:file:/tmp/x")).isTrue();
        assertThat(ServerRuntime.groupCommit("jdbc:postgresql://127.0.0.1/db")).isTrue();
    }

    @Test
    void thePropertyTurnsItOff() {
        System.setProperty(PROPERTY, "false");
        assertThat(ServerRuntime.groupCommit("jdbc:h2:file:/tmp/x")).isFalse();
        assertThat(ServerRuntime.groupCommit("jdbc:postgresql://127.0.0.1/db")).isFalse();
    }
}
