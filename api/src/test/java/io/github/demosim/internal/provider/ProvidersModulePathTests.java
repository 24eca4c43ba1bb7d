package io.github.demosim.internal.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provider lookup on the module path, as users of a jlink image or of {@code --module-path} get it: a named
 * client module and zero, one or two named provider modules per SPI ({@code provides … with …}, no
 * {@code META-INF/services}), compiled at test time and run in a child JVM with
 * {@code java --module-path <api>:<modules> -m testclient/testclient.Main transport crypto codec}.
 */
class ProvidersModulePathTests {
    private static final List<String> ALL = TestProviders.SPIS;

    @TempDir
    static Path dir;

    private static Path client;
    private static final List<Path> ALPHAS = new ArrayList<>();
    private static final List<Path> BETAS = new ArrayList<>();

    @BeforeAll
    static void compileModules() {
        client = TestProviders.clientModule(dir);
        for (String spi : ALL) {
            ALPHAS.add(TestProviders.moduleProvider(dir, "alpha", spi, "alpha"));
            BETAS.add(TestProviders.moduleProvider(dir, "beta", spi, "beta"));
        }
    }

    private static TestProviders.Run run(List<Path> providers, List<String> jvmOptions) {
        List<Path> modulePath = new ArrayList<>(List.of(TestProviders.apiClasses(), client));
        modulePath.addAll(providers);
        return TestProviders.runClient(dir, modulePath, jvmOptions, ALL);
    }

    private static String described(String provider, String spi) {
        String module = provider + "." + spi;
        return "'" + provider + "' (" + module + "." + TestProviders.simpleName(provider, spi) + ", module " + module + ")";
    }

    private static String found(String provider, String spi) {
        String module = provider + "." + spi;
        return spi + " OK " + provider + " " + module + "." + TestProviders.simpleName(provider, spi) + " " + module;
    }

    @Test
    void noProvider() {
        TestProviders.Run run = run(List.of(), List.of());
        assertThat(run.stdout()).as(run.stderr()).containsExactly(
                "transport ProviderNotFoundException " + Expected.notFound("transport"),
                "crypto ProviderNotFoundException " + Expected.notFound("crypto"),
                "codec ProviderNotFoundException " + Expected.notFound("codec"));
        assertThat(run.exitCode()).isEqualTo(3);
    }

    @Test
    void oneProviderEach() {
        TestProviders.Run run = run(ALPHAS, List.of());
        assertThat(run.stdout()).as(run.stderr()).containsExactly(
                found("alpha", "transport"), found("alpha", "crypto"), found("alpha", "codec"));
        assertThat(run.exitCode()).isZero();
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void twoProvidersEach() {
        List<Path> both = new ArrayList<>(ALPHAS);
        both.addAll(BETAS);
        TestProviders.Run run = run(both, List.of());
        assertThat(run.stdout()).as(run.stderr()).hasSize(3);
        for (int i = 0; i < ALL.size(); i++) {
            String spi = ALL.get(i);
            // ServiceLoader does not specify the order of providers from different modules.
            assertThat(run.stdout().get(i)).isIn(
                    spi + " AmbiguousProviderException "
                            + Expected.ambiguous(spi, List.of(described("alpha", spi), described("beta", spi))),
                    spi + " AmbiguousProviderException "
                            + Expected.ambiguous(spi, List.of(described("beta", spi), described("alpha", spi))));
        }
        assertThat(run.exitCode()).isEqualTo(3);
    }

    @Test
    void twoProvidersEachAndThePropertiesChoose() {
        List<Path> both = new ArrayList<>(ALPHAS);
        both.addAll(BETAS);
        TestProviders.Run run = run(both, List.of("-Ddemos.im.transport=beta", "-Ddemos.im.crypto=alpha",
                "-Ddemos.im.codec=beta"));
        assertThat(run.stdout()).as(run.stderr()).containsExactly(
                found("beta", "transport"), found("alpha", "crypto"), found("beta", "codec"));
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void aBadPropertyValue() {
        TestProviders.Run run = run(ALPHAS, List.of("-Ddemos.im.codec=nope"));
        assertThat(run.stdout()).as(run.stderr()).containsExactly(
                found("alpha", "transport"), found("alpha", "crypto"),
                "codec UnknownProviderException " + Expected.unknownByProperty("codec", "nope",
                        List.of(described("alpha", "codec"))));
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void badPropertyValuesWithoutProviders() {
        TestProviders.Run run = run(List.of(), List.of("-Ddemos.im.transport=nope", "-Ddemos.im.crypto=nope",
                "-Ddemos.im.codec=nope"));
        assertThat(run.stdout()).as(run.stderr()).containsExactly(
                "transport UnknownProviderException " + Expected.unknownByPropertyNonePresent("transport", "nope"),
                "crypto UnknownProviderException " + Expected.unknownByPropertyNonePresent("crypto", "nope"),
                "codec UnknownProviderException " + Expected.unknownByPropertyNonePresent("codec", "nope"));
        assertThat(run.exitCode()).isEqualTo(3);
    }
}
