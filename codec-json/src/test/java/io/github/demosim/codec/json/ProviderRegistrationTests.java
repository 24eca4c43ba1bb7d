package io.github.demosim.codec.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.tck.provider.ProviderRegistrationContract;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The codec's registration, by the tck contract every provider module runs, and what it may require. */
class ProviderRegistrationTests implements ProviderRegistrationContract {

    @Override
    public Class<?> provider() {
        return JacksonCodecProvider.class;
    }

    @Override
    public String name() {
        return JacksonCodecProvider.NAME;
    }

    @Override
    public String moduleName() {
        return "io.github.demosim.codec.json";
    }

    @Test
    void theModuleRequiresOnlyTheApiAndJacksonCore() throws Exception {
        Path classes = Path.of(JacksonCodecProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(n -> !n.equals("java.base"))).containsExactlyInAnyOrder("io.github.demosim",
                        "com.fasterxml.jackson.core");
    }
}
