import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Replaces one entry of a jar and drops the jar's signature (which no longer matches); run with the JDK's source
 * launcher by build-image.sh: {@code java ReplaceJarEntry.java <jar> <file> <entry>}. The JDK's jar tool cannot do
 * it for Bouncy Castle: it validates every class of a multi-release jar and fails on the JDK 21+ ones.
 */
public final class ReplaceJarEntry {
    private ReplaceJarEntry() {
    }

    public static void main(String[] args) throws Exception {
        try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + Path.of(args[0]).toUri()), Map.of())) {
            Files.copy(Path.of(args[1]), jar.getPath(args[2]), StandardCopyOption.REPLACE_EXISTING);
            try (Stream<Path> meta = Files.list(jar.getPath("META-INF"))) {
                for (Path entry : meta.toList()) {
                    String name = entry.getFileName().toString();
                    if (name.matches(".*\\.(SF|RSA|DSA|EC)")) {
                        Files.delete(entry);
                    }
                }
            }
        }
    }
}
