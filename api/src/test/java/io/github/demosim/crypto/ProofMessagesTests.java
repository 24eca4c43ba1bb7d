package io.github.demosim.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;

class ProofMessagesTests {

    /** l2ps.md §5.2 and §7.1: the key and peer are used exactly as given; the timestamp as plain digits. */
    @Example
    void proofStrings() {
        assertThat(DemosCrypto.registerProofMessage("D75A98", 1709312400000L)).isEqualTo("register:D75A98:1709312400000");
        assertThat(DemosCrypto.historyProofMessage("3d40", 1709312460000L)).isEqualTo("history:3d40:1709312460000");
        assertThat(DemosCrypto.registerProofMessage("k", 0L)).isEqualTo("register:k:0");
    }
}
