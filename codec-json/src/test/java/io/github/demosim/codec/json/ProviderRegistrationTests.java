package io.github.demosim.codec.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.spi.CodecProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The provider is registered twice, for the module path ({@code provides} in module-info) and the class path
 * ({@code META-INF/services}), and both say the same.
 */
class ProviderRegistrationTests {

    private static Path classes() throws URISyntaxException {
        return Path.of(JacksonCodecProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void servicesFileAndModuleDescriptorDeclareTheSameProviders() throws Exception {
        Path classes = classes();
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertThat(descriptor.name()).isEqualTo("io.github.demosim.codec.json");
        assertThat(descriptor.exports()).as("a provider module exports nothing").isEmpty();
        assertThat(descriptor.opens()).isEmpty();

        Map<String, List<String>> provides = descriptor.provides().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers));
        Path services = classes.resolve("META-INF/services");
        Map<String, List<String>> declared;
        try (var files = Files.list(services)) {
            declared = files.collect(Collectors.toMap(f -> f.getFileName().toString(), ProviderRegistrationTests::lines));
        }
        assertThat(declared).isEqualTo(provides);
        assertThat(provides).containsExactly(Map.entry(CodecProvider.class.getName(),
                List.of(JacksonCodecProvider.class.getName())));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(l -> l.replaceAll("#.*", "").strip())
                    .filter(l -> !l.isEmpty()).collect(Collectors.toList());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theModuleRequiresOnlyTheApiAndJacksonCore() throws Exception {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes().resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(n -> !n.equals("java.base"))).containsExactlyInAnyOrder("io.github.demosim",
                        "com.fasterxml.jackson.core");
    }

    @Test
    void serviceLoaderFindsItOnTheClassPath() {
        CodecProvider provider = CodecProvider.find();
        assertThat(provider).isInstanceOf(JacksonCodecProvider.class);
        assertThat(provider.name()).isEqualTo("jackson");
        assertThat(CodecProvider.find("jackson")).isInstanceOf(JacksonCodecProvider.class);
        assertThat(provider.create().encode(new io.github.demosim.frame.legacy.Discover()))
                .isEqualTo("{\"type\":\"discover\",\"payload\":{}}");
    }
}
