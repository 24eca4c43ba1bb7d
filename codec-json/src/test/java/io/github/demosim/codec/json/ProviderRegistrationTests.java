package io.github.demosim.codec.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.tck.provider.ProviderRegistrationContract;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/** The codec's registration, by the tck contract every provider module runs, and what it may require. */
class ProviderRegistrationTests implements ProviderRegistrationContract {

    @Override
    public Registration registration() {
        return new Registration(JacksonCodecProvider.class, JacksonCodecProvider.NAME,
                "io.github.demosim.codec.json");
    }

    @Test
    void theModuleRequiresOnlyTheApiAndJacksonCore() throws Exception {
        assertThat(descriptor().requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(n -> !n.equals("java.base"))).containsExactlyInAnyOrder("io.github.demosim",
                        "com.fasterxml.jackson.core");
    }
}
