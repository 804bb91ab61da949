package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @TempDir
    Path directory;

    @Test
    void writtenTensorsReadBackIdentically() {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a.weight", new Safetensors.Tensor(new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-30f, Float.MAX_VALUE}));
        tensors.put("b.bias", new Safetensors.Tensor(new long[] {1}, new float[] {7}));
        tensors.put("scalar", new Safetensors.Tensor(new long[] {}, new float[] {42}));

        Path file = directory.resolve("model.safetensors");
        Safetensors.write(file, tensors);

        assertThat(Safetensors.read(file)).containsExactlyEntriesOf(tensors);
        assertThat(Safetensors.read(Safetensors.write(tensors))).containsExactlyEntriesOf(tensors);
        assertThat(Safetensors.readCheckpoint(directory)).containsExactlyEntriesOf(tensors);
    }

    @Test
    void headerIsAlignedAndDeclaresPytorchFormat() {
        byte[] bytes = Safetensors.write(Map.of("x", new Safetensors.Tensor(new long[] {1}, new float[] {1})));
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);

        assertThat(headerLength % 8).isZero();
        assertThat(header).contains("\"format\":\"pt\"").contains("\"dtype\":\"F32\"");
    }

    @Test
    void halfPrecisionAndBfloat16BecomeFloats() {
        // 1.0, -2.0, 65504 (largest half), smallest subnormal half, -infinity
        short[] halves = {0x3c00, (short) 0xc000, 0x7bff, 0x0001, (short) 0xfc00};
        // 1.0, -2.5, 3.140625 as bfloat16 bit patterns
        short[] bfloats = {0x3f80, (short) 0xc020, 0x4049};
        byte[] file = rawFile("{\"h\":{\"dtype\":\"F16\",\"shape\":[5],\"data_offsets\":[0,10]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[10,16]}}", halves, bfloats);

        Map<String, Safetensors.Tensor> tensors = Safetensors.read(file);

        assertThat(tensors.get("h").values()).containsExactly(1f, -2f, 65504f, 0x1p-24f, Float.NEGATIVE_INFINITY);
        assertThat(tensors.get("b").values()).containsExactly(1f, -2.5f, 3.140625f);
    }

    @Test
    void shardedCheckpointReadsEveryShard() throws Exception {
        var first = Map.of("model.embed_tokens.weight", new Safetensors.Tensor(new long[] {2, 2}, new float[] {1, 2, 3, 4}));
        var second = Map.of("lm_head.weight", new Safetensors.Tensor(new long[] {2, 2}, new float[] {5, 6, 7, 8}));
        Safetensors.write(directory.resolve("model-00001-of-00002.safetensors"), first);
        Safetensors.write(directory.resolve("model-00002-of-00002.safetensors"), second);
        Files.writeString(directory.resolve("model.safetensors.index.json"), """
                {"metadata": {"total_size": 32}, "weight_map": {
                  "model.embed_tokens.weight": "model-00001-of-00002.safetensors",
                  "lm_head.weight": "model-00002-of-00002.safetensors"}}""");

        Map<String, Safetensors.Tensor> tensors = Safetensors.readCheckpoint(directory);

        assertThat(tensors).containsAllEntriesOf(first).containsAllEntriesOf(second).hasSize(2);
    }

    @Test
    void bfloat16FixtureHoldsOnlyBfloat16Values() {
        Path checkpoint = Fixtures.folder("llama-bf16");

        Map<String, Safetensors.Tensor> tensors = Safetensors.readCheckpoint(checkpoint);

        assertThat(tensors).containsKey("model.layers.1.self_attn.k_proj.weight");
        assertThat(tensors.get("model.layers.1.self_attn.k_proj.weight").shape()).containsExactly(32, 64);
        for (Safetensors.Tensor tensor : tensors.values()) {
            for (float value : tensor.values()) {
                assertThat(Float.floatToRawIntBits(value) & 0xffff).isZero();
            }
        }
    }

    @Test
    void malformedFilesAreRejectedWithTheReason() {
        byte[] wrongLength = rawFile("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new short[4], new short[0]);
        byte[] unknownType = rawFile("{\"x\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new short[4], new short[0]);

        assertThatThrownBy(() -> Safetensors.read(wrongLength)).hasMessageContaining("tensor x").hasMessageContaining("data_offsets");
        assertThatThrownBy(() -> Safetensors.read(unknownType)).hasMessageContaining("unsupported dtype I64");
        assertThatThrownBy(() -> Safetensors.read(new byte[] {1, 2})).hasMessageContaining("not a safetensors file");
        assertThatThrownBy(() -> Safetensors.readCheckpoint(directory)).hasMessageContaining("no model.safetensors");
    }

    private static byte[] rawFile(String header, short[] first, short[] second) {
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + headerBytes.length + 2 * (first.length + second.length))
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(headerBytes.length).put(headerBytes);
        for (short value : first) {
            buffer.putShort(value);
        }
        for (short value : second) {
            buffer.putShort(value);
        }
        return buffer.array();
    }
}
