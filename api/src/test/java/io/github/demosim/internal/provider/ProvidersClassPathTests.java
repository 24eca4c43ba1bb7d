package io.github.demosim.internal.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.demosim.AmbiguousProviderException;
import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.ProviderNotFoundException;
import io.github.demosim.UnknownProviderException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Provider lookup on the class path, for each SPI with zero, one and two providers, a bad property value, an
 * unknown or duplicated name and a broken declaration. The providers are compiled at test time into
 * directories with {@code META-INF/services} entries and found by a real {@link ServiceLoader} through a class
 * loader over those directories.
 */
class ProvidersClassPathTests {
    @TempDir
    static Path dir;

    /** Per SPI key: provider directories alpha, beta, and gamma (a second provider also named 'alpha'). */
    private static final java.util.Map<String, Path[]> DIRS = new java.util.HashMap<>();
    private static Path broken;

    @BeforeAll
    static void compileProviders() {
        for (String spi : TestProviders.SPIS) {
            DIRS.put(spi, new Path[] {
                TestProviders.classPathProvider(dir, "alpha", spi, "alpha"),
                TestProviders.classPathProvider(dir, "beta", spi, "beta"),
                TestProviders.classPathProvider(dir, "gamma", spi, "alpha")});
        }
        broken = dir.resolve("broken");
        for (String spi : TestProviders.SPIS) {
            TestProviders.write(broken.resolve("META-INF/services/" + TestProviders.spi(spi).getName()),
                    "missing.NoSuchProvider\n");
        }
    }

    @AfterEach
    void clearProperties() {
        TestProviders.SPIS.forEach(spi -> System.clearProperty(Expected.property(spi)));
    }

    private static Path alpha(String spi) {
        return DIRS.get(spi)[0];
    }

    private static Path beta(String spi) {
        return DIRS.get(spi)[1];
    }

    private static Path gamma(String spi) {
        return DIRS.get(spi)[2];
    }

    /** How a provider in {@code dir} is listed in messages. */
    private static String described(String name, String provider, String spi, Path dir) {
        return "'" + name + "' (" + provider + "." + spi + "." + TestProviders.simpleName(provider, spi)
                + ", class path " + url(dir) + ")";
    }

    private static URL url(Path dir) {
        try {
            return dir.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the selection logic over what a real ServiceLoader finds in {@code dirs}. */
    private static Object select(String spi, String explicitName, Path... dirs) {
        URL[] urls = java.util.Arrays.stream(dirs).map(ProvidersClassPathTests::url).toArray(URL[]::new);
        try (URLClassLoader loader = new URLClassLoader(urls, ProvidersClassPathTests.class.getClassLoader())) {
            return select(TestProviders.spi(spi), explicitName, loader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <S> S select(Class<S> spi, String explicitName, ClassLoader loader) {
        return Providers.select(spi, explicitName, ServiceLoader.load(spi, loader).iterator());
    }

    private static String nameOf(Object provider) {
        try {
            return (String) provider.getClass().getMethod("name").invoke(provider);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"transport", "crypto", "codec"})
    void noProviderIsNotFound(String spi) {
        Throwable e = catchThrowable(() -> select(spi, null));
        assertThat(e).isInstanceOf(ProviderNotFoundException.class).hasMessage(Expected.notFound(spi));
        assertThat(((ImException) e).code()).isEqualTo(ErrorCode.PROVIDER_NOT_FOUND);
    }

    @ParameterizedTest
    @ValueSource(strings = {"transport", "crypto", "codec"})
    void theSingleProviderIsChosen(String spi) {
        Object provider = select(spi, null, alpha(spi));
        assertThat(TestProviders.spi(spi).isInstance(provider)).isTrue();
        assertThat(provider.getClass().getName()).isEqualTo("alpha." + spi + "." + TestProviders.simpleName("alpha", spi));
        assertThat(nameOf(select(spi, "alpha", alpha(spi)))).isEqualTo("alpha");
    }

    @ParameterizedTest
    @ValueSource(strings = {"transport", "crypto", "codec"})
    void twoProvidersAreAmbiguousUntilOneIsChosen(String spi) {
        Throwable e = catchThrowable(() -> select(spi, null, alpha(spi), beta(spi)));
        assertThat(e).isInstanceOf(AmbiguousProviderException.class).hasMessage(Expected.ambiguous(spi, List.of(
                described("alpha", "alpha", spi, alpha(spi)), described("beta", "beta", spi, beta(spi)))));
        assertThat(((ImException) e).code()).isEqualTo(ErrorCode.PROVIDER_AMBIGUOUS);

        assertThat(nameOf(select(spi, "beta", alpha(spi), beta(spi)))).isEqualTo("beta");
        System.setProperty(Expected.property(spi), "beta");
        assertThat(nameOf(select(spi, null, alpha(spi), beta(spi)))).isEqualTo("beta");
        System.setProperty(Expected.property(spi), "  alpha ");
        assertThat(nameOf(select(spi, null, alpha(spi), beta(spi)))).as("the value is trimmed").isEqualTo("alpha");
        System.setProperty(Expected.property(spi), " ");
        assertThat(catchThrowable(() -> select(spi, null, alpha(spi), beta(spi)))).as("a blank value is no choice")
                .isInstanceOf(AmbiguousProviderException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"transport", "crypto", "codec"})
    void aBadPropertyValueListsWhatIsPresent(String spi) {
        System.setProperty(Expected.property(spi), "nope");
        assertThat(catchThrowable(() -> select(spi, null, alpha(spi), beta(spi))))
                .isInstanceOf(UnknownProviderException.class).hasMessage(Expected.unknownByProperty(spi, "nope",
                        List.of(described("alpha", "alpha", spi, alpha(spi)), described("beta", "beta", spi, beta(spi)))));
        assertThat(catchThrowable(() -> select(spi, null, alpha(spi))))
                .isInstanceOf(UnknownProviderException.class).hasMessage(Expected.unknownByProperty(spi, "nope",
                        List.of(described("alpha", "alpha", spi, alpha(spi)))));
        assertThat(catchThrowable(() -> select(spi, null)))
                .isInstanceOf(UnknownProviderException.class)
                .hasMessage(Expected.unknownByPropertyNonePresent(spi, "nope"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"transport", "crypto", "codec"})
    void anUnknownNameInCodeIgnoresTheProperty(String spi) {
        System.setProperty(Expected.property(spi), "alpha");
        assertThat(catchThrowable(() -> select(spi, "nope", alpha(spi))))
                .isInstanceOf(UnknownProviderException.class).hasMessage(Expected.unknownInCode(spi, "nope",
                        List.of(described("alpha", "alpha", spi, alpha(spi)))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"transport", "crypto", "codec"})
    void twoProvidersWithTheChosenNameAreAmbiguous(String spi) {
        assertThat(catchThrowable(() -> select(spi, "alpha", alpha(spi), gamma(spi), beta(spi))))
                .isInstanceOf(AmbiguousProviderException.class).hasMessage(Expected.sameName(spi, "alpha", List.of(
                        described("alpha", "alpha", spi, alpha(spi)), described("alpha", "gamma", spi, gamma(spi)))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"transport", "crypto", "codec"})
    void aDeclaredProviderThatCannotBeLoadedIsBroken(String spi) {
        Throwable e = catchThrowable(() -> select(spi, null, alpha(spi), broken));
        assertThat(e).isExactlyInstanceOf(ImException.class).hasMessage(Expected.broken(spi,
                TestProviders.spi(spi).getName() + ": Provider missing.NoSuchProvider not found"));
        assertThat(((ImException) e).code()).isEqualTo(ErrorCode.PROVIDER_BROKEN);
        assertThat(e.getCause()).isInstanceOf(java.util.ServiceConfigurationError.class);
    }

    /**
     * A provider compiled for a newer Java (as {@code crypto-jdk}, compiled for 25, is on 17) cannot be loaded:
     * it is left out, so the others still work, and every message that could concern it names it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"transport", "crypto", "codec"})
    void aProviderCompiledForANewerJavaIsLeftOutAndNamed(String spi) throws IOException {
        Path future = TestProviders.classPathProvider(dir, "future", spi, "future");
        try (var files = java.nio.file.Files.walk(future)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                byte[] bytes = java.nio.file.Files.readAllBytes(file);
                bytes[6] = 0;
                bytes[7] = 99; // class file major version 99: no Java that runs this test can load it
                java.nio.file.Files.write(file, bytes);
            }
        }
        String notLoadable = " Declared but not loadable on this Java " + Runtime.version().feature() + ": future/" + spi
                + "/" + TestProviders.simpleName("future", spi) + " has been compiled by a more recent version of the Java"
                + " Runtime (class file version 99.0)";

        assertThat(nameOf(select(spi, null, alpha(spi), future))).isEqualTo("alpha");
        assertThat(nameOf(select(spi, null, future, alpha(spi)))).isEqualTo("alpha");
        assertThat(catchThrowable(() -> select(spi, "future", alpha(spi), future)))
                .isInstanceOf(UnknownProviderException.class)
                .hasMessageStartingWith("No " + Expected.type(spi) + " is named 'future' (asked for by name in code). Present: "
                        + described("alpha", "alpha", spi, alpha(spi)) + "." + notLoadable)
                .hasMessageEndingWith(". Use one of these names. [IM-PROVIDER-003]");
        assertThat(catchThrowable(() -> select(spi, null, future)))
                .isInstanceOf(ProviderNotFoundException.class)
                .hasMessageStartingWith("No " + Expected.type(spi) + " found on the module path or class path." + notLoadable);
    }

    /**
     * The public entry points ({@code CodecProvider.find()} and friends) in a class loader of their own that
     * holds a fresh copy of the api and the providers, as an application's class path would: this covers the
     * {@code ServiceLoader.load(spi, Providers.class.getClassLoader())} call itself.
     */
    @Test
    void thePublicFindMethodsSearchTheApisClassLoader() {
        for (String spi : TestProviders.SPIS) {
            String find = TestProviders.spi(spi).getName();
            assertThat(isolatedFind(find, null)).isEqualTo("ProviderNotFoundException: " + Expected.notFound(spi));
            assertThat(isolatedFind(find, null, alpha(spi))).isEqualTo("found alpha");
            assertThat(isolatedFind(find, null, alpha(spi), beta(spi))).isEqualTo("AmbiguousProviderException: "
                    + Expected.ambiguous(spi, List.of(described("alpha", "alpha", spi, alpha(spi)),
                            described("beta", "beta", spi, beta(spi)))));
            assertThat(isolatedFind(find, "beta", alpha(spi), beta(spi))).isEqualTo("found beta");
            System.setProperty(Expected.property(spi), "nope");
            try {
                assertThat(isolatedFind(find, null, alpha(spi))).isEqualTo("UnknownProviderException: "
                        + Expected.unknownByProperty(spi, "nope", List.of(described("alpha", "alpha", spi, alpha(spi)))));
            } finally {
                System.clearProperty(Expected.property(spi));
            }
        }
    }

    /** Calls {@code <spi>.find()} or {@code find(name)} in a loader over the api classes and {@code dirs}. */
    private static String isolatedFind(String spiName, String name, Path... dirs) {
        List<URL> urls = new ArrayList<>();
        urls.add(url(TestProviders.apiClasses()));
        for (Path d : dirs) {
            urls.add(url(d));
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> spi = Class.forName(spiName, true, loader);
            assertThat(spi).as("a separate copy of the api").isNotSameAs(TestProviders.spi("codec"));
            Supplier<Object> find = () -> {
                try {
                    return name == null ? spi.getMethod("find").invoke(null)
                            : spi.getMethod("find", String.class).invoke(null, name);
                } catch (InvocationTargetException e) {
                    return e.getCause();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
            Object result = find.get();
            if (result instanceof Throwable t) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            return "found " + nameOf(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
