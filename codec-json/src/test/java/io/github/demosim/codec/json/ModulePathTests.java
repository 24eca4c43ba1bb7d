package io.github.demosim.codec.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import io.github.demosim.spi.CodecProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The codec as a named module: a client module that only requires the api finds it through
 * {@code CodecProvider.find()} on a module path of the api, this module and jackson-core, and uses it. Proves
 * the module descriptor resolves and nothing needs reflective access.
 */
class ModulePathTests {
    @TempDir
    Path dir;

    private static Path locationOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void aModularApplicationFindsAndUsesTheCodec() throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), "module app {\n    requires io.github.demosim;\n}\n");
        Files.writeString(src.resolve("app/Main.java"), String.join("\n",
                "package app;",
                "",
                "import io.github.demosim.frame.legacy.LegacyClientFrame;",
                "import io.github.demosim.spi.CodecProvider;",
                "import io.github.demosim.spi.FrameCodec;",
                "",
                "public class Main {",
                "    public static void main(String[] args) {",
                "        CodecProvider provider = CodecProvider.find();",
                "        System.out.println(provider.name() + \" \" + provider.getClass().getModule().getName());",
                "        FrameCodec codec = provider.create();",
                "        LegacyClientFrame f = codec.decode(args[0], LegacyClientFrame.class);",
                "        System.out.println(f);",
                "        System.out.println(codec.encode(f));",
                "        try {",
                "            codec.decode(\"{\\\"type\\\":\", LegacyClientFrame.class);",
                "        } catch (io.github.demosim.CodecException e) {",
                "            System.out.println(e.code() + \" \" + e.offset());",
                "        }",
                "    }",
                "}",
                ""));
        String modulePath = String.join(File.pathSeparator, locationOf(CodecProvider.class).toString(),
                locationOf(JacksonCodecProvider.class).toString(), locationOf(JsonFactory.class).toString());
        Path out = dir.resolve("app");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, null, errors, "--release", "17", "--module-path", modulePath, "-d",
                out.toString(), src.resolve("module-info.java").toString(), src.resolve("app/Main.java").toString());
        assertThat(status).as(errors.toString(StandardCharsets.UTF_8)).isZero();

        String frame = "{\"type\":\"request_public_key\",\"payload\":{\"targetId\":\"bob\",\"extra\":1}}";
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath + File.pathSeparator + out, "-m", "app/app.Main", frame));
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the child JVM did not exit within 60 s");
        }
        String err = Files.readString(stderr);
        assertThat(process.exitValue()).as(err).isZero();
        assertThat(Files.readAllLines(stdout)).containsExactly(
                "jackson io.github.demosim.codec.json",
                "RequestPublicKey[targetId=bob]",
                "{\"type\":\"request_public_key\",\"payload\":{\"targetId\":\"bob\"}}",
                "CODEC_MALFORMED_JSON 8");
        assertThat(err).isEmpty();
    }
}
