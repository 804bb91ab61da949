package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Corrupted checkpoints (truncated or bit-flipped safetensors, lying headers, absurd shapes and offsets,
 * huge header lengths, garbage config.json) are refused with a clear error: an {@link IllegalArgumentException}
 * or {@link UncheckedIOException} naming the problem, never an out-of-memory error, an index out of bounds
 * or a crash of the native engine.
 */
class CorruptCheckpointTest {

    private static final LlamaConfig TINY = new LlamaConfig("llama", 24, 8, 16, 2, 2, 1, 4, 32, 1e-5, false,
            false, false, false, LlamaConfig.Rope.standard(10_000), 1, List.of(2), 0, LlamaConfig.FLOAT32);

    private static NDManager manager;
    private static Path checkpoint;
    private static byte[] weights;
    private static String config;

    @BeforeContainer
    static void exportTinyCheckpoint() throws IOException {
        Engine.getEngine("PyTorch");
        manager = NDManager.newBaseManager();
        Path folder = Files.createTempDirectory("corrupt-checkpoint-");
        Path tokenizer = Files.writeString(folder.resolve("tokenizer.json"), "{}");
        checkpoint = folder.resolve("model");
        try (LlamaModel model = LlamaModel.create(TINY, manager, 1)) {
            Checkpoints.export(model, tokenizer, checkpoint);
        }
        weights = Files.readAllBytes(checkpoint.resolve(Checkpoints.WEIGHTS));
        config = Files.readString(checkpoint.resolve(Checkpoints.CONFIG));
    }

    @AfterContainer
    static void closeManager() {
        manager.close();
    }

    @Example
    void theUntouchedCheckpointLoads() {
        try (LlamaModel model = Checkpoints.load(checkpoint, manager)) {
            assertThat(model.config()).isEqualTo(TINY);
        }
    }

    @Property(tries = 200)
    void truncatedFilesAreRefused(@ForAll("cuts") int cut) {
        byte[] truncated = Arrays.copyOf(weights, Math.min(cut, weights.length - 1));
        assertClearError(() -> Safetensors.read(truncated));
        assertClearError(() -> Safetensors.read(file(truncated)));
    }

    @Property(tries = 200)
    void flippedBytesNeverEscapeAsAnUnexpectedError(@ForAll("positions") List<Integer> positions,
            @ForAll byte value) {
        byte[] corrupted = weights.clone();
        positions.forEach(position -> corrupted[position % corrupted.length] = value);
        assertReadsOrRefuses(() -> Safetensors.read(corrupted));
        assertReadsOrRefuses(() -> Safetensors.read(file(corrupted)));
    }

    @Property(tries = 200)
    void lyingHeaderLengthsAreRefused(@ForAll("headerLengths") long headerLength) {
        byte[] lying = weights.clone();
        ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength);
        assertReadsOrRefuses(() -> Safetensors.read(lying));
        assertReadsOrRefuses(() -> Safetensors.read(file(lying)));
    }

    @Property(tries = 200)
    void absurdShapesAndOffsetsAreRefused(@ForAll("tensorHeaders") String header) {
        byte[] bytes = withHeader(header, 64);
        assertReadsOrRefuses(() -> Safetensors.read(bytes));
        assertReadsOrRefuses(() -> Safetensors.read(file(bytes)));
    }

    @Example
    void shapesWhoseProductOverflowsAreRefused() {
        for (String shape : List.of("[4294967296,4294967296]", "[-1,-4]", "[-1]", "[9223372036854775807,2]",
                "[1.5]", "[\"a\"]", "[1e30]")) {
            String header = "{\"t\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[8,4]}}";
            assertThatThrownBy(() -> Safetensors.read(withHeader(header, 64))).as(shape)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tensor t");
            String empty = "{\"t\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,0]}}";
            assertThatThrownBy(() -> Safetensors.read(withHeader(empty, 64))).as(shape)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tensor t");
        }
    }

    @Property(tries = 100)
    void garbageConfigIsRefusedBeforeAnyLargeAllocation(@ForAll("configEdits") Map.Entry<String, JsonNode> edit)
            throws IOException {
        ObjectNode edited = (ObjectNode) Safetensors.JSON.readTree(config);
        edited.set(edit.getKey(), edit.getValue());
        Path folder = Files.createTempDirectory("corrupt-config-");
        try {
            Files.writeString(folder.resolve(Checkpoints.CONFIG), edited.toString());
            Files.write(folder.resolve(Checkpoints.WEIGHTS), weights);
            assertReadsOrRefuses(() -> {
                try (LlamaModel model = Checkpoints.load(folder, manager)) {
                    return model.config();
                }
            });
        } finally {
            Files.deleteIfExists(folder.resolve(Checkpoints.CONFIG));
            Files.deleteIfExists(folder.resolve(Checkpoints.WEIGHTS));
            Files.delete(folder);
        }
    }

    @Property(tries = 100)
    void configFilesThatAreNotJsonObjectsAreRefused(@ForAll("garbage") String text) throws IOException {
        Path folder = Files.createTempDirectory("garbage-config-");
        try {
            Files.writeString(folder.resolve(Checkpoints.CONFIG), text);
            Files.write(folder.resolve(Checkpoints.WEIGHTS), weights);
            assertClearError(() -> Checkpoints.load(folder, manager));
        } finally {
            Files.deleteIfExists(folder.resolve(Checkpoints.CONFIG));
            Files.deleteIfExists(folder.resolve(Checkpoints.WEIGHTS));
            Files.delete(folder);
        }
    }

    @Example
    void aConfigAskingForAHugeModelFailsOnTheCheckpointNotOnMemory() throws IOException {
        for (String field : List.of("vocab_size", "intermediate_size", "num_hidden_layers", "head_dim", "hidden_size")) {
            ObjectNode edited = (ObjectNode) Safetensors.JSON.readTree(config);
            edited.put(field, field.equals("head_dim") ? 65_536 : 2_000_000_000);
            Path folder = Files.createTempDirectory("huge-config-");
            Files.writeString(folder.resolve(Checkpoints.CONFIG), edited.toString());
            Files.write(folder.resolve(Checkpoints.WEIGHTS), weights);
            assertThatThrownBy(() -> Checkpoints.load(folder, manager).close()).as(field)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, weights.length - 1);
    }

    @Provide
    Arbitrary<List<Integer>> positions() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE - 1).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<Long> headerLengths() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-16, weights.length + 16),
                Arbitraries.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MAX_VALUE,
                        Integer.MAX_VALUE + 1L, 100L * 1024 * 1024, 100L * 1024 * 1024 + 1));
    }

    @Provide
    Arbitrary<String> tensorHeaders() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().between(-10, 80).map(String::valueOf),
                Arbitraries.of("9223372036854775807", "-9223372036854775808", "4294967296", "2147483648", "1e30",
                        "1.5", "\"8\"", "null", "true", "[]", "{}", "99999999999999999999999"));
        Arbitrary<String> shape = number.list().ofMaxSize(5).map(dims -> "[" + String.join(",", dims) + "]");
        Arbitrary<String> shapeField = Arbitraries.oneOf(shape, number);
        Arbitrary<String> offsets = number.list().ofMaxSize(3).map(values -> "[" + String.join(",", values) + "]");
        Arbitrary<String> dtype = Arbitraries.of("\"F32\"", "\"F16\"", "\"BF16\"", "\"F64\"", "\"I8\"", "1", "null", "\"\"");
        Arbitrary<String> tensor = Combinators.combine(dtype, shapeField, offsets)
                .as((d, s, o) -> "{\"dtype\":" + d + ",\"shape\":" + s + ",\"data_offsets\":" + o + "}");
        Arbitrary<String> value = Arbitraries.oneOf(tensor, number);
        return Combinators.combine(Arbitraries.of("a", "b", "__metadata__", ""), value).as((n, v) -> "\"" + n + "\":" + v)
                .list().ofMaxSize(3).map(entries -> "{" + String.join(",", entries) + "}");
    }

    @Provide
    Arbitrary<Map.Entry<String, JsonNode>> configEdits() {
        Arbitrary<String> field = Arbitraries.of("vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                "num_attention_heads", "num_key_value_heads", "head_dim", "max_position_embeddings", "rms_norm_eps",
                "rope_theta", "rope_scaling", "bos_token_id", "eos_token_id", "pad_token_id", "tie_word_embeddings",
                "model_type", "dtype", "attention_bias", "sliding_window", "layer_types", "num_experts");
        Arbitrary<JsonNode> value = Arbitraries.of("0", "-1", "1", "3", "7", "100000", "2147483647", "2147483648",
                "4294967297", "9223372036854775807", "1e30", "-1e30", "1.5", "NaN", "\"x\"", "\"llama\"", "null", "true",
                "[]", "[1,2]", "[2147483648]", "{}", "{\"rope_type\":\"llama3\",\"factor\":-1}", "[[[[1]]]]")
                .map(text -> text.equals("NaN") ? Safetensors.JSON.getNodeFactory().numberNode(Double.NaN)
                        : Safetensors.JSON.readTree(text));
        return Combinators.combine(field, value).as(Map::entry);
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("", " ", "null", "[]", "[1,2]", "\"llama\"", "42", "{", "{\"hidden_size\":", "\uFEFF{}",
                        "[".repeat(5_000), "{\"a\":".repeat(3_000)));
    }

    private static byte[] withHeader(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(json.length).put(json);
        return buffer.array();
    }

    private static Path file(byte[] bytes) {
        try {
            Path file = Files.createTempFile("corrupt-", ".safetensors");
            file.toFile().deleteOnExit();
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The action either succeeds or fails with a clear, expected error. */
    private static void assertReadsOrRefuses(java.util.concurrent.Callable<?> action) {
        try {
            action.call();
        } catch (IllegalArgumentException | UncheckedIOException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } catch (Throwable unexpected) {
            throw new AssertionError("unexpected " + unexpected, unexpected);
        }
    }

    private static void assertClearError(java.util.concurrent.Callable<?> action) {
        Throwable thrown = null;
        try {
            action.call();
        } catch (Throwable error) {
            thrown = error;
        }
        assertThat(thrown).as("refused").isNotNull();
        if (!(thrown instanceof IllegalArgumentException || thrown instanceof UncheckedIOException)) {
            throw new AssertionError("unexpected " + thrown, thrown);
        }
        assertThat(thrown.getMessage()).isNotBlank();
    }
}
