package io.github.demosim.crypto.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.tck.provider.ProviderRegistrationContract;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/** The crypto provider's registration, by the tck contract every provider module runs (house rule 3). */
class ProviderRegistrationTests implements ProviderRegistrationContract {

    @Override
    public Registration registration() {
        return new Registration(BouncyCastleCryptoProvider.class, "bouncycastle",
                "io.github.demosim.crypto.bouncycastle");
    }

    @Test
    void theModuleRequiresBouncyCastle() throws Exception {
        assertThat(descriptor().requires()).extracting(ModuleDescriptor.Requires::name)
                .contains("io.github.demosim", "org.bouncycastle.provider");
    }
}
