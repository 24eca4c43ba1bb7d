package io.github.demosim.crypto.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.spi.CryptoProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Example;

/** The provider is declared twice, in module-info and META-INF/services, and both say the same (house rule 3). */
class ServiceRegistrationTests {

    @Example
    void moduleInfoAndServicesFileDeclareTheSameProvider() throws IOException {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        List<String> fromModule = descriptor.provides().stream()
                .filter(p -> p.service().equals(CryptoProvider.class.getName()))
                .flatMap(p -> p.providers().stream())
                .collect(Collectors.toList());
        List<String> fromServicesFile = Files.readAllLines(
                        Path.of("target/classes/META-INF/services/" + CryptoProvider.class.getName()),
                        StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .collect(Collectors.toList());

        assertThat(descriptor.name()).isEqualTo("io.github.demosim.crypto.jdk");
        assertThat(descriptor.exports()).as("a provider module exports nothing").isEmpty();
        assertThat(descriptor.requires()).extracting(ModuleDescriptor.Requires::name)
                .containsExactlyInAnyOrder("io.github.demosim", "java.base");
        assertThat(fromModule).containsExactly(JdkCryptoProvider.class.getName());
        assertThat(fromServicesFile).isEqualTo(fromModule);
    }

    @Example
    void serviceLoaderFindsTheProviderByName() {
        assertThat(CryptoProvider.find("jdk")).isInstanceOf(JdkCryptoProvider.class);
        assertThat(CryptoProvider.find().name()).isEqualTo("jdk");
    }
}
