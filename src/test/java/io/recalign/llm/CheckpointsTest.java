package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest extends TorchTest {

    private static final int[] TOKENS = {1, 130, 246, 296, 70, 268, 73, 44, 177};

    @TempDir
    Path directory;

    @Test
    void float32CheckpointSurvivesExportAndReload() {
        assertRoundTrip(Fixtures.folder("llama-f32"));
    }

    @Test
    void bfloat16CheckpointSurvivesExportAndReload() {
        assertRoundTrip(Fixtures.folder("llama-bf16"));
    }

    @Test
    void tiedQwen2CheckpointSurvivesExportAndReload() {
        assertRoundTrip(Fixtures.folder("qwen2-tied"));
    }

    private void assertRoundTrip(Path source) {
        Path exported = directory.resolve("exported");
        try (LlamaModel original = Checkpoints.load(source, manager)) {
            Checkpoints.export(original, source.resolve("tokenizer.json"), exported);

            assertThat(exported).isDirectoryContaining("glob:**/config.json").isDirectoryContaining("glob:**/model.safetensors")
                    .isDirectoryContaining("glob:**/tokenizer.json").isDirectoryContaining("glob:**/generation_config.json");
            assertThat(Safetensors.read(exported.resolve("model.safetensors")).keySet())
                    .containsExactlyInAnyOrderElementsOf(Safetensors.readCheckpoint(source).keySet());
            assertThat(LlamaConfig.read(exported.resolve("config.json"))).isEqualTo(original.config());
            try (LlamaModel reloaded = Checkpoints.load(exported, manager)) {
                assertThat(reloaded.logits(TOKENS)).isDeepEqualTo(original.logits(TOKENS));
            }
        }
    }

    @Test
    void anExportReplacesTheDirectoryAsAWhole() throws Exception {
        Path target = directory.resolve("best");
        Files.createDirectories(target);
        Files.writeString(target.resolve("stale.txt"), "from the previous export");
        try (LlamaModel model = Checkpoints.load(Fixtures.folder("llama-f32"), manager)) {
            Checkpoints.export(model, Fixtures.folder("llama-f32").resolve("tokenizer.json"), target);
        }

        assertThat(target.resolve("stale.txt")).doesNotExist();
        assertThat(target.resolve("model.safetensors")).isRegularFile();
        try (var siblings = Files.list(directory)) {
            assertThat(siblings).containsExactly(target);  // no .partial or .old left behind
        }
    }

    @Test
    void missingOrMisshapenTensorsAreNamed() throws Exception {
        Path source = Fixtures.folder("llama-f32");
        Path broken = directory.resolve("broken");
        Files.createDirectories(broken);
        Files.copy(source.resolve("config.json"), broken.resolve("config.json"));
        Map<String, Safetensors.Tensor> tensors = new java.util.LinkedHashMap<>(Safetensors.readCheckpoint(source));
        tensors.remove("model.layers.1.mlp.up_proj.weight");
        Safetensors.write(broken.resolve("model.safetensors"), tensors);

        assertThatThrownBy(() -> Checkpoints.load(broken, manager)).hasMessageContaining("model.layers.1.mlp.up_proj.weight");

        tensors.put("model.layers.1.mlp.up_proj.weight", new Safetensors.Tensor(new long[] {2, 2}, new float[4]));
        Safetensors.write(broken.resolve("model.safetensors"), tensors);
        assertThatThrownBy(() -> Checkpoints.load(broken, manager)).hasMessageContaining("model.layers.1.mlp.up_proj.weight has shape [2, 2]");
        assertThatThrownBy(() -> Checkpoints.load(directory.resolve("absent"), manager)).hasMessageContaining("does not exist");
    }
}
