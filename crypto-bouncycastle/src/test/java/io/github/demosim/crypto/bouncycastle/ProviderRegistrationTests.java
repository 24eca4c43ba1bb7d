package io.github.demosim.crypto.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.tck.provider.ProviderRegistrationContract;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The crypto provider's registration, by the tck contract every provider module runs (house rule 3). */
class ProviderRegistrationTests implements ProviderRegistrationContract {

    @Override
    public Class<?> provider() {
        return BouncyCastleCryptoProvider.class;
    }

    @Override
    public String name() {
        return "bouncycastle";
    }

    @Override
    public String moduleName() {
        return "io.github.demosim.crypto.bouncycastle";
    }

    @Test
    void theModuleRequiresBouncyCastle() throws Exception {
        Path classes = Path.of(provider().getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertThat(descriptor.requires()).extracting(ModuleDescriptor.Requires::name)
                .contains("io.github.demosim", "org.bouncycastle.provider");
    }
}
