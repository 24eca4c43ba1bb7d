package io.github.demosim.transport.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.tck.provider.ProviderRegistrationContract;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/** The transport provider's registration, by the tck contract every provider module runs (house rule 3). */
class ProviderRegistrationTests implements ProviderRegistrationContract {

    @Override
    public Registration registration() {
        return new Registration(JdkTransportProvider.class, "jdk", "io.github.demosim.transport.jdk");
    }

    @Test
    void theModuleRequiresNothingOutsideTheJdkButTheApi() throws Exception {
        assertThat(descriptor().requires()).extracting(ModuleDescriptor.Requires::name)
                .allMatch(n -> n.equals("io.github.demosim") || n.startsWith("java."));
    }
}
