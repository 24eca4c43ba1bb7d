package io.github.demosim.transport.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.spi.TransportProvider;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The provider is declared twice (module-info and META-INF/services) and both declarations agree. */
class ProviderRegistrationTests {
    private static final Path CLASSES = Path.of("target", "classes");

    @Test
    void moduleInfoAndServicesFilesDeclareTheSameProviders() throws Exception {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(CLASSES.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        List<String> checked = new ArrayList<>();
        for (ModuleDescriptor.Provides provides : descriptor.provides()) {
            Path services = CLASSES.resolve("META-INF/services/" + provides.service());
            assertThat(services).as("services file for %s", provides.service()).exists();
            Set<String> listed = new TreeSet<>();
            for (String line : Files.readAllLines(services, StandardCharsets.UTF_8)) {
                String entry = line.replaceAll("#.*", "").strip();
                if (!entry.isEmpty()) {
                    listed.add(entry);
                }
            }
            assertThat(listed).as("providers of %s", provides.service())
                    .isEqualTo(new TreeSet<>(provides.providers()));
            checked.add(provides.service());
        }
        assertThat(checked).contains(TransportProvider.class.getName());
        try (var files = Files.list(CLASSES.resolve("META-INF/services"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(checked);
        }
        assertThat(descriptor.exports()).as("a provider module exports nothing")
                .allMatch(ModuleDescriptor.Exports::isQualified);
    }

    @Test
    void isFoundByNameThroughTheServiceLoader() {
        TransportProvider provider = TransportProvider.find("jdk");
        assertThat(provider).isInstanceOf(JdkTransportProvider.class);
        assertThat(provider.name()).isEqualTo("jdk");
        assertThat(TransportProvider.find()).isInstanceOf(JdkTransportProvider.class);
    }
}
