package io.recalign.llm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The shared Hugging Face reference checkpoints, read from ../shared when the checkout has them. */
final class Fixtures {

    static final Path ROOT = Path.of("..", "shared", "fixtures", "hf-tiny");

    private Fixtures() {
    }

    static Path folder(String name) {
        Path folder = ROOT.resolve(name);
        assumeTrue(Files.isDirectory(folder), "skipped: reference checkpoint " + folder + " is absent (shared fixtures not checked out)");
        return folder;
    }

    /** Every checkpoint folder; skips the calling test when the shared fixtures are absent. */
    static List<Path> all() {
        assumeTrue(Files.isDirectory(ROOT), "skipped: reference checkpoints " + ROOT + " are absent (shared fixtures not checked out)");
        try (Stream<Path> entries = Files.list(ROOT)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + ROOT, e);
        }
    }
}
