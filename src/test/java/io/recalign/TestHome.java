package io.recalign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A fresh {@code recalign.home} per test JVM, under {@code target/} so {@code mvn clean} removes it.
 * Homes of earlier runs whose database is no longer running are deleted on first use.
 */
public final class TestHome implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final Path PARENT = Path.of("target");
    private static final String PREFIX = "test-home-";
    private static final Path HOME = create();

    /** The data directory all integration tests of this JVM share. */
    public static Path path() {
        return HOME;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("recalign.home=" + HOME).applyTo(context);
    }

    private static Path create() {
        try {
            Files.createDirectories(PARENT);
            deleteStaleHomes();
            return Files.createTempDirectory(PARENT, PREFIX).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteStaleHomes() throws IOException {
        try (Stream<Path> homes = Files.list(PARENT)) {
            for (Path home : homes.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                if (!Files.exists(home.resolve("postgres").resolve("postmaster.pid"))) {
                    deleteTree(home);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
