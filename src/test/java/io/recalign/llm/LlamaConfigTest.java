package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class LlamaConfigTest {

    private static ObjectNode llama() {
        return (ObjectNode) Safetensors.JSON.readTree("""
                {"model_type": "llama", "vocab_size": 300, "hidden_size": 64, "intermediate_size": 160,
                 "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
                 "max_position_embeddings": 256, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
                 "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu"}""");
    }

    @Test
    void readsTheClassicAndTheTransformers5RopeForms() {
        LlamaConfig classic = LlamaConfig.fromJson(llama().put("rope_theta", 500000.0)
                .set("rope_scaling", Safetensors.JSON.readTree("""
                        {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                         "original_max_position_embeddings": 32}""")));
        ObjectNode modern = llama();
        modern.remove("rope_theta");
        modern.set("rope_parameters", Safetensors.JSON.readTree("{\"rope_type\": \"default\", \"rope_theta\": 1000000.0}"));

        assertThat(classic.rope()).isEqualTo(new LlamaConfig.Rope("llama3", 500000, 8, 1, 4, 32));
        assertThat(LlamaConfig.fromJson(modern).rope()).isEqualTo(LlamaConfig.Rope.standard(1_000_000));
        assertThat(classic.headDim()).isEqualTo(16);
        assertThat(classic.groupSize()).isEqualTo(2);
    }

    @Test
    void qwen2ImpliesQkvBiasesAndLlamaAttentionBiasCoversTheOutputToo() {
        LlamaConfig qwen = LlamaConfig.fromJson(llama().put("model_type", "qwen2").put("use_sliding_window", false)
                .put("sliding_window", 4096));
        LlamaConfig biased = LlamaConfig.fromJson(llama().put("attention_bias", true).put("head_dim", 32));

        assertThat(qwen.qkvBias()).isTrue();
        assertThat(qwen.outputBias()).isFalse();
        assertThat(biased.qkvBias()).isTrue();
        assertThat(biased.outputBias()).isTrue();
        assertThat(biased.headDim()).isEqualTo(32);
    }

    @Test
    void everyReferenceConfigParsesAndSurvivesItsOwnJson() {
        for (var folder : Fixtures.all()) {
            LlamaConfig config = LlamaConfig.read(folder.resolve("config.json"));
            assertThat(LlamaConfig.fromJson(config.toJson())).as(folder.toString()).isEqualTo(config);
        }
    }

    @Test
    void unsupportedFeaturesNameTheirField() {
        assertThatThrownBy(() -> LlamaConfig.fromJson(llama().put("model_type", "qwen2").put("use_sliding_window", true)))
                .hasMessageContaining("use_sliding_window");
        assertThatThrownBy(() -> LlamaConfig.fromJson(llama().put("model_type", "mistral").put("sliding_window", 64)))
                .hasMessageContaining("sliding_window");
        assertThatThrownBy(() -> LlamaConfig.fromJson(llama().set("rope_scaling",
                Safetensors.JSON.readTree("{\"type\": \"yarn\", \"factor\": 4.0}"))))
                .hasMessageContaining("rope_scaling.rope_type yarn");
        assertThatThrownBy(() -> LlamaConfig.fromJson(llama().set("rope_parameters",
                Safetensors.JSON.readTree("{\"rope_type\": \"dynamic\", \"rope_theta\": 10000.0}"))))
                .hasMessageContaining("rope_parameters.rope_type dynamic");
        assertThatThrownBy(() -> LlamaConfig.fromJson(llama().put("num_local_experts", 8)))
                .hasMessageContaining("num_local_experts");
        assertThatThrownBy(() -> LlamaConfig.fromJson(llama().put("hidden_act", "gelu"))).hasMessageContaining("hidden_act");
        assertThatThrownBy(() -> LlamaConfig.fromJson(llama().put("model_type", "gemma"))).hasMessageContaining("model_type gemma");
        assertThatThrownBy(() -> LlamaConfig.fromJson(llama().put("num_key_value_heads", 3)))
                .hasMessageContaining("num_key_value_heads");
        assertThatThrownBy(() -> LlamaConfig.fromJson(llama().put("hidden_size", 66))).hasMessageContaining("hidden_size");
        assertThatThrownBy(() -> LlamaConfig.fromJson(llama().without("vocab_size"))).hasMessageContaining("vocab_size");
    }

    @Test
    void biasesMustBeThoseTheArchitectureHas() {
        assertThatThrownBy(() -> new LlamaConfig("qwen2", 40, 32, 64, 2, 4, 2, 8, 64, 1e-6, true, false, false, false,
                LlamaConfig.Rope.standard(10_000), 1, java.util.List.of(2), 0, LlamaConfig.FLOAT32))
                .hasMessageContaining("qwen2 has q, k, v biases");
        assertThatThrownBy(() -> new LlamaConfig("llama", 40, 32, 64, 2, 4, 2, 8, 64, 1e-6, true, true, false, false,
                LlamaConfig.Rope.standard(10_000), 1, java.util.List.of(2), 0, LlamaConfig.FLOAT32))
                .hasMessageContaining("attention_bias");
    }

    @Test
    void defaultCpuConfigIsTheDocumentedModel() {
        LlamaConfig config = LlamaConfig.defaultCpu(8192);

        assertThat(config.hiddenSize()).isEqualTo(256);
        assertThat(config.numHiddenLayers()).isEqualTo(4);
        assertThat(config.numAttentionHeads()).isEqualTo(4);
        assertThat(config.numKeyValueHeads()).isEqualTo(2);
        assertThat(config.intermediateSize()).isEqualTo(704);
        assertThat(config.tieWordEmbeddings()).isFalse();
        assertThat(config.maxPositionEmbeddings()).isEqualTo(512);
    }

    @Test
    void ropeFrequenciesFollowTheCheckpointPrecision() {
        LlamaConfig.Rope rope = LlamaConfig.Rope.standard(10_000);
        float[] float32 = RotaryEmbedding.inverseFrequencies(rope, 16, LlamaConfig.FLOAT32);
        float[] bfloat16 = RotaryEmbedding.inverseFrequencies(rope, 16, LlamaConfig.BFLOAT16);

        assertThat(float32[1]).isEqualTo((float) (1 / Math.pow(10_000, 2.0 / 16)));
        assertThat(bfloat16[1]).isEqualTo(0.31640625f);  // 0.316227… rounded to 8 significant bits
        assertThat(RotaryEmbedding.roundToPrecision(65519f, 10, -14)).isEqualTo(65504f);
    }
}
