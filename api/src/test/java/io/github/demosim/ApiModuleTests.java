package io.github.demosim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The api module depends on the JDK alone and keeps its internals unexported: an internal package may only be
 * exported to named modules of this project ({@code exports ... to io.github.demosim.*}), never to everyone.
 */
class ApiModuleTests {

    private static ModuleDescriptor descriptor() throws Exception {
        Path classes = Path.of(ImException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void requiresNothingOutsideTheJdk() throws Exception {
        ModuleDescriptor d = descriptor();
        assertThat(d.name()).isEqualTo("io.github.demosim");
        assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toList()))
                .isNotEmpty().allMatch(name -> name.startsWith("java."), "is a java.* module");
    }

    @Test
    void usesTheThreeSpisAndExportsNoInternalPackage() throws Exception {
        ModuleDescriptor d = descriptor();
        assertThat(d.uses()).containsExactlyInAnyOrder("io.github.demosim.spi.TransportProvider",
                "io.github.demosim.spi.CryptoProvider", "io.github.demosim.spi.CodecProvider");
        assertThat(d.exports()).filteredOn(e -> !e.isQualified())
                .allMatch(e -> !e.source().contains(".internal"), "exports no internal package to everyone");
        assertThat(d.exports()).filteredOn(ModuleDescriptor.Exports::isQualified)
                .allMatch(e -> e.targets().stream().allMatch(t -> t.startsWith("io.github.demosim.")),
                        "exports internals only to this project's modules");
    }
}
