package io.recalign.alignment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.util.FileSystemUtils;

/**
 * The files of registered models: {@code <home>/models/<id>/}, a Hugging Face directory. A model is
 * copied into a hidden partial folder beside its final place and renamed only once complete, so the
 * final folder either holds every file or does not exist. Its digest is the sha256 of a manifest that
 * lists each file's relative path and sha256 in path order: a changed, added or removed file changes it.
 */
final class ModelStore {

    static final String FOLDER = "models";

    private final Path home;
    private final Path root;

    ModelStore(Path home) {
        this.home = home.toAbsolutePath();
        this.root = this.home.resolve(FOLDER);
    }

    /** Where model {@code id} lives, relative to the home (the registry's {@code path}). */
    String relativePath(long id) {
        return FOLDER + "/" + id;
    }

    Path resolve(String relativePath) {
        return home.resolve(relativePath);
    }

    /**
     * Copies the regular files of {@code source} (a complete checkpoint directory) into the store as
     * model {@code id} and returns their digest; on any failure nothing is left behind.
     */
    String install(long id, Path source) {
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException("model directory " + source + " does not exist");
        }
        Path target = root.resolve(Long.toString(id));
        Path partial = partial(id);
        try {
            Files.createDirectories(root);
            FileSystemUtils.deleteRecursively(partial);
            if (Files.exists(target)) {
                throw new IllegalStateException("the store already holds a directory for model " + id);
            }
            for (Path file : files(source)) {
                Path copy = partial.resolve(source.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
            String digest = digest(partial);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return digest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store model " + id + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    /** Deletes whatever the store holds for model {@code id}, complete or partial. */
    void remove(long id) {
        deleteQuietly(partial(id));
        deleteQuietly(root.resolve(Long.toString(id)));
    }

    /** The digest of a directory's files (see the class comment). */
    static String digest(Path directory) {
        try {
            MessageDigest manifest = sha256();
            for (Path file : files(directory)) {
                String relative = directory.relativize(file).toString().replace('\\', '/');
                manifest.update((relative + "\t" + fileDigest(file) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(manifest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory + ": " + e.getMessage(), e);
        }
    }

    private Path partial(long id) {
        return root.resolve("." + id + ".partial");
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(path -> directory.relativize(path).toString()))
                    .toList();
        }
    }

    private static String fileDigest(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            FileSystemUtils.deleteRecursively(path);
        } catch (IOException ignored) {
            // a leftover partial folder is hidden, never loaded, and replaced by the next install
        }
    }
}
