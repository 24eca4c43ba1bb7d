package io.github.demosim.crypto.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.tck.provider.ProviderRegistrationContract;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/** The crypto provider's registration, by the tck contract every provider module runs (house rule 3). */
class ProviderRegistrationTests implements ProviderRegistrationContract {

    @Override
    public Registration registration() {
        return new Registration(JdkCryptoProvider.class, "jdk", "io.github.demosim.crypto.jdk");
    }

    @Test
    void theModuleRequiresNothingOutsideTheJdkButTheApi() throws Exception {
        assertThat(descriptor().requires()).extracting(ModuleDescriptor.Requires::name)
                .allMatch(n -> n.equals("io.github.demosim") || n.startsWith("java.") || n.startsWith("jdk."));
    }
}
