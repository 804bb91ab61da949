package io.recalign.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Corrupted source files (truncated, bytes overwritten, garbage lines inserted, binary noise, huge lines)
 * given to every importer: the import either reads a catalog or fails with an {@link InvalidDatasetException}
 * naming the problem, never with an unchecked index, number-format or out-of-memory error.
 */
class CorruptImportTest {

    /** One corruption of one fixture file. */
    record Corruption(String folder, int file, int kind, int position, byte[] noise) {
    }

    @Property(tries = 200)
    void corruptedFilesReadOrFailWithAClearError(@ForAll("corruptions") Corruption corruption) throws IOException {
        Path folder = copyOf(corruption.folder());
        try {
            List<Path> files;
            try (Stream<Path> listed = Files.list(folder)) {
                files = listed.sorted().toList();
            }
            Path target = files.get(corruption.file() % files.size());
            Files.write(target, corrupt(Files.readAllBytes(target), corruption));
            importOrRefuse(folder, CatalogFixtures.format(corruption.folder()));
        } finally {
            delete(folder);
        }
    }

    @Example
    void aLineWithoutEndIsRefusedWithoutReadingItIntoMemory() throws IOException {
        for (String name : CatalogFixtures.FOLDERS) {
            Path folder = copyOf(name);
            try {
                Path target;
                try (Stream<Path> listed = Files.list(folder)) {
                    target = listed.sorted().toList().get(0);
                }
                try (OutputStream out = Files.newOutputStream(target)) {
                    byte[] chunk = new byte[1 << 16];
                    Arrays.fill(chunk, (byte) 'x');
                    for (int i = 0; i < 48; i++) { // 3 MiB without a line break
                        out.write(chunk);
                    }
                }
                assertThatThrownBy(() -> CatalogFixtures.format(name).reader().read(folder)).as(name)
                        .isInstanceOf(InvalidDatasetException.class)
                        .hasMessageContaining(target.getFileName().toString() + " line 1")
                        .hasMessageContaining("longer than");
            } finally {
                delete(folder);
            }
        }
    }

    @Example
    void titlesThatWouldBreakTheAnswerFormatAreRefused() throws IOException {
        for (String title : List.of("Two\\nLines", "Carriage\\rReturn", "Line\\u2028Separator", "Nul\\u0000Byte")) {
            Path folder = copyOf("jsonl");
            try {
                Files.writeString(folder.resolve(JsonlReader.ITEMS),
                        "{\"id\":\"x1\",\"title\":\"" + title + "\",\"categories\":[\"Drama\"]}\n");
                assertThatThrownBy(() -> DatasetFormat.JSONL.reader().read(folder)).as(title)
                        .isInstanceOf(InvalidDatasetException.class)
                        .hasMessageContaining("items.jsonl line 1")
                        .hasMessageContaining("line break or control character");
                Files.writeString(folder.resolve(JsonlReader.ITEMS),
                        "{\"id\":\"x1\",\"title\":\"Fine\",\"categories\":[\"" + title + "\"]}\n");
                assertThatThrownBy(() -> DatasetFormat.JSONL.reader().read(folder)).as(title)
                        .isInstanceOf(InvalidDatasetException.class)
                        .hasMessageContaining("line break or control character");
            } finally {
                delete(folder);
            }
        }
    }

    @Provide
    Arbitrary<Corruption> corruptions() {
        Arbitrary<byte[]> noise = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                Arbitraries.of("\n", "\r\n", "\u0000", ",", "::", "|", "\t", "\"", "{", "}", "[", "]", "\uFEFF",
                                "-1", "99999999999999999999", "1e400", "NaN", "Infinity", "\u00e9", "\u2028",
                                "{\"id\":1,\"title\":\"\"}", "{\"user\":[],\"item\":{},\"timestamp\":\"x\"}",
                                "1::2::3::4::5", "a,b,c,d,e", "1|2", "x|99999999999999999999", "\"unclosed")
                        .list().ofMinSize(1).ofMaxSize(6)
                        .map(pieces -> String.join("", pieces).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of(new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[] {(byte) 0xc3}, new byte[] {(byte) 0x80}));
        return Combinators.combine(Arbitraries.of(CatalogFixtures.FOLDERS), Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 2_000), noise)
                .as(Corruption::new);
    }

    /** 0: truncate, 1: overwrite, 2: insert, 3: replace the whole file with the noise. */
    private static byte[] corrupt(byte[] original, Corruption corruption) {
        int at = original.length == 0 ? 0 : corruption.position() % (original.length + 1);
        byte[] noise = corruption.noise();
        return switch (corruption.kind()) {
            case 0 -> Arrays.copyOf(original, at);
            case 1 -> {
                byte[] copy = original.clone();
                for (int i = 0; i < noise.length && at + i < copy.length; i++) {
                    copy[at + i] = noise[i];
                }
                yield copy;
            }
            case 2 -> {
                byte[] copy = new byte[original.length + noise.length];
                System.arraycopy(original, 0, copy, 0, at);
                System.arraycopy(noise, 0, copy, at, noise.length);
                System.arraycopy(original, at, copy, at + noise.length, original.length - at);
                yield copy;
            }
            default -> noise;
        };
    }

    private static void importOrRefuse(Path folder, DatasetFormat format) {
        try {
            SourceCatalog source = format.reader().read(folder);
            DataProtocol.apply(source, CatalogFixtures.MIN_COUNT).toSnapshot("corrupt");
        } catch (InvalidDatasetException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } catch (Throwable unexpected) {
            throw new AssertionError("unexpected " + unexpected, unexpected);
        }
    }

    private static Path copyOf(String fixture) throws IOException {
        Path copy = Files.createTempDirectory("corrupt-import-");
        try (Stream<Path> files = Files.list(CatalogFixtures.folder(fixture))) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName().toString()));
            }
        }
        return copy;
    }

    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
