package io.recalign.llm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hyper-parameters of a Llama-family decoder (Llama 2/3, Qwen2/2.5, Mistral without sliding
 * window), read from and written to a Hugging Face {@code config.json}.
 *
 * @param modelType            {@code llama}, {@code qwen2} or {@code mistral}
 * @param headDim              width of one attention head (usually hidden / heads)
 * @param qkvBias              q, k and v projections carry a bias (Qwen2, or Llama's attention_bias)
 * @param outputBias           o_proj carries a bias (Llama's attention_bias)
 * @param mlpBias              gate, up and down projections carry a bias (Llama's mlp_bias)
 * @param eosTokenIds          every id that ends generation
 * @param dtype                the checkpoint's declared precision ({@code float32}, {@code bfloat16},
 *                             {@code float16}); weights are always held in float32, but transformers
 *                             keeps the rotary frequencies in this precision, so they are rounded to it
 */
public record LlamaConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        int maxPositionEmbeddings,
        double rmsNormEps,
        boolean tieWordEmbeddings,
        boolean qkvBias,
        boolean outputBias,
        boolean mlpBias,
        Rope rope,
        int bosTokenId,
        List<Integer> eosTokenIds,
        int padTokenId,
        String dtype) {

    /**
     * Rotary position embedding: {@code default} (plain inverse frequencies of {@code theta}) or
     * {@code llama3} (low frequencies divided by {@code factor}, a smooth band between).
     */
    public record Rope(String type, double theta, double factor, double lowFreqFactor, double highFreqFactor,
                       int originalMaxPositionEmbeddings) {
        public static final String DEFAULT = "default";
        public static final String LLAMA3 = "llama3";

        public Rope {
            if (!DEFAULT.equals(type) && !LLAMA3.equals(type)) {
                throw new IllegalArgumentException("unsupported rope_type " + type + " (default and llama3 are supported)");
            }
            require(theta > 0, "rope_theta must be positive, got " + theta);
            if (LLAMA3.equals(type)) {
                require(factor > 0, "rope_scaling.factor must be positive, got " + factor);
                require(lowFreqFactor > 0 && highFreqFactor > lowFreqFactor,
                        "rope_scaling needs 0 < low_freq_factor < high_freq_factor, got " + lowFreqFactor + " and " + highFreqFactor);
                require(originalMaxPositionEmbeddings > 0, "rope_scaling.original_max_position_embeddings must be positive");
            }
        }

        public static Rope standard(double theta) {
            return new Rope(DEFAULT, theta, 1, 1, 4, 0);
        }
    }

    public static final String FLOAT32 = "float32";
    public static final String BFLOAT16 = "bfloat16";
    public static final String FLOAT16 = "float16";
    private static final Set<String> DTYPES = Set.of(FLOAT32, BFLOAT16, FLOAT16);
    private static final Set<String> MODEL_TYPES = Set.of("llama", "qwen2", "mistral");
    /** Real models use 64 to 256; the bound keeps a lying config from sizing the rotary tables. */
    private static final int MAX_HEAD_DIM = 1024;
    private static final List<String> MOE_FIELDS = List.of(
            "num_experts", "num_local_experts", "num_experts_per_tok", "n_routed_experts", "moe_intermediate_size");

    public LlamaConfig {
        require(MODEL_TYPES.contains(modelType), "unsupported model_type " + modelType + " (llama, qwen2, mistral are supported)");
        require(vocabSize > 0, "vocab_size must be positive, got " + vocabSize);
        require(hiddenSize > 0, "hidden_size must be positive, got " + hiddenSize);
        require(intermediateSize > 0, "intermediate_size must be positive, got " + intermediateSize);
        require(numHiddenLayers > 0, "num_hidden_layers must be positive, got " + numHiddenLayers);
        require(numAttentionHeads > 0, "num_attention_heads must be positive, got " + numAttentionHeads);
        require(numKeyValueHeads > 0 && numAttentionHeads % numKeyValueHeads == 0,
                "num_attention_heads (" + numAttentionHeads + ") must be a multiple of num_key_value_heads (" + numKeyValueHeads + ")");
        require(headDim > 0 && headDim % 2 == 0 && headDim <= MAX_HEAD_DIM,
                "head_dim must be positive, even and at most " + MAX_HEAD_DIM + ", got " + headDim);
        // every weight matrix is one Java array
        require(fitsAnArray(vocabSize, hiddenSize), "vocab_size x hidden_size is too large: " + vocabSize + " x " + hiddenSize);
        require(fitsAnArray(intermediateSize, hiddenSize),
                "intermediate_size x hidden_size is too large: " + intermediateSize + " x " + hiddenSize);
        require(fitsAnArray((long) numAttentionHeads * headDim, hiddenSize),
                "num_attention_heads x head_dim x hidden_size is too large: " + numAttentionHeads + " x " + headDim + " x " + hiddenSize);
        require(maxPositionEmbeddings > 0, "max_position_embeddings must be positive, got " + maxPositionEmbeddings);
        require(rmsNormEps > 0, "rms_norm_eps must be positive, got " + rmsNormEps);
        require(rope != null, "rope settings are required");
        require(eosTokenIds != null && !eosTokenIds.isEmpty(), "eos_token_id is required");
        eosTokenIds = List.copyOf(eosTokenIds);
        for (int id : eosTokenIds) {
            require(id >= 0 && id < vocabSize, "eos_token_id " + id + " is outside the vocabulary of " + vocabSize);
        }
        require(bosTokenId >= 0 && bosTokenId < vocabSize, "bos_token_id " + bosTokenId + " is outside the vocabulary of " + vocabSize);
        require(padTokenId >= 0 && padTokenId < vocabSize, "pad_token_id " + padTokenId + " is outside the vocabulary of " + vocabSize);
        require(DTYPES.contains(dtype), "unsupported dtype " + dtype + " (float32, bfloat16, float16)");
        // the biases each architecture has in transformers, so an export loads there unchanged
        switch (modelType) {
            case "qwen2" -> require(qkvBias && !outputBias && !mlpBias, "qwen2 has q, k, v biases and no others");
            case "mistral" -> require(!qkvBias && !outputBias && !mlpBias, "mistral has no biases");
            default -> require(qkvBias == outputBias, "llama's attention_bias covers q, k, v and o together");
        }
    }

    /**
     * The documented from-scratch model for CPU training and serving: hidden 256, 4 layers, 4 heads
     * of 64 with 2 key/value heads, SwiGLU width 704, untied embeddings, context 512 (about 7.1 M
     * parameters with a vocabulary of 8,192). Ids 0-3 are pad, bos, eos, unk as the tokenizer builder
     * lays them out.
     */
    public static LlamaConfig defaultCpu(int vocabSize) {
        return new LlamaConfig("llama", vocabSize, 256, 704, 4, 4, 2, 64, 512, 1e-5, false,
                false, false, false, Rope.standard(10_000), 1, List.of(2), 0, FLOAT32);
    }

    public LlamaConfig withVocabSize(int size) {
        return new LlamaConfig(modelType, size, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                numKeyValueHeads, headDim, maxPositionEmbeddings, rmsNormEps, tieWordEmbeddings, qkvBias, outputBias,
                mlpBias, rope, bosTokenId, eosTokenIds, padTokenId, dtype);
    }

    /** Query heads that share one key/value head. */
    public int groupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    public static LlamaConfig read(Path configJson) {
        return fromJson(Safetensors.readJson(configJson));
    }

    /** Parses a Hugging Face config.json; unsupported features fail with the field that asks for them. */
    public static LlamaConfig fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("config.json must hold a JSON object");
        }
        String modelType = json.path("model_type").asString("llama");
        for (String field : MOE_FIELDS) {
            if (json.path(field).asDouble(0) > 0) {
                throw new IllegalArgumentException("unsupported mixture of experts: " + field + " = " + json.get(field));
            }
        }
        if (!json.path("hidden_act").asString("silu").equals("silu")) {
            throw new IllegalArgumentException("unsupported hidden_act " + json.get("hidden_act") + " (silu is supported)");
        }
        if (json.path("partial_rotary_factor").asDouble(1) != 1) {
            throw new IllegalArgumentException("unsupported partial_rotary_factor " + json.get("partial_rotary_factor"));
        }
        rejectSlidingWindow(json);
        int hidden = requiredInt(json, "hidden_size");
        int heads = requiredInt(json, "num_attention_heads");
        int headDim;
        if (json.hasNonNull("head_dim")) {
            headDim = intField(json, "head_dim", 0);
        } else {
            require(hidden % heads == 0, "hidden_size (" + hidden + ") must be a multiple of num_attention_heads (" + heads + ")");
            headDim = hidden / heads;
        }
        boolean attentionBias = json.path("attention_bias").asBoolean(false);
        boolean qwen2 = modelType.equals("qwen2");
        int vocab = requiredInt(json, "vocab_size");
        return new LlamaConfig(
                modelType,
                vocab,
                hidden,
                requiredInt(json, "intermediate_size"),
                requiredInt(json, "num_hidden_layers"),
                heads,
                intField(json, "num_key_value_heads", heads),
                headDim,
                intField(json, "max_position_embeddings", 2048),
                json.path("rms_norm_eps").asDouble(1e-6),
                json.path("tie_word_embeddings").asBoolean(false),
                qwen2 || (attentionBias && modelType.equals("llama")),
                !qwen2 && attentionBias && modelType.equals("llama"),
                modelType.equals("llama") && json.path("mlp_bias").asBoolean(false),
                parseRope(json),
                intField(json, "bos_token_id", 1),
                tokenIds(json.path("eos_token_id"), 2),
                intField(json, "pad_token_id", 0),
                json.path("dtype").asString(json.path("torch_dtype").asString(FLOAT32)));
    }

    /** The config.json that transformers reads for this model (classic rope_theta / rope_scaling form). */
    public ObjectNode toJson() {
        ObjectNode json = Safetensors.JSON.createObjectNode();
        json.putArray("architectures").add(modelType.equals("qwen2") ? "Qwen2ForCausalLM"
                : modelType.equals("mistral") ? "MistralForCausalLM" : "LlamaForCausalLM");
        json.put("model_type", modelType);
        json.put("vocab_size", vocabSize);
        json.put("hidden_size", hiddenSize);
        json.put("intermediate_size", intermediateSize);
        json.put("num_hidden_layers", numHiddenLayers);
        json.put("num_attention_heads", numAttentionHeads);
        json.put("num_key_value_heads", numKeyValueHeads);
        json.put("head_dim", headDim);
        json.put("hidden_act", "silu");
        json.put("max_position_embeddings", maxPositionEmbeddings);
        json.put("rms_norm_eps", rmsNormEps);
        json.put("tie_word_embeddings", tieWordEmbeddings);
        if (modelType.equals("qwen2")) {
            json.put("use_sliding_window", false);
        } else {
            json.put("attention_bias", qkvBias);
            if (modelType.equals("llama")) {
                json.put("mlp_bias", mlpBias);
            }
        }
        if (modelType.equals("mistral")) {
            json.putNull("sliding_window");
        }
        json.put("rope_theta", rope.theta());
        if (rope.type().equals(Rope.LLAMA3)) {
            ObjectNode scaling = json.putObject("rope_scaling");
            scaling.put("rope_type", Rope.LLAMA3);
            scaling.put("factor", rope.factor());
            scaling.put("low_freq_factor", rope.lowFreqFactor());
            scaling.put("high_freq_factor", rope.highFreqFactor());
            scaling.put("original_max_position_embeddings", rope.originalMaxPositionEmbeddings());
        } else {
            json.putNull("rope_scaling");
        }
        json.put("bos_token_id", bosTokenId);
        if (eosTokenIds.size() == 1) {
            json.put("eos_token_id", eosTokenIds.get(0));
        } else {
            var ids = json.putArray("eos_token_id");
            eosTokenIds.forEach(ids::add);
        }
        json.put("pad_token_id", padTokenId);
        json.put("dtype", dtype);
        json.put("torch_dtype", dtype);
        json.put("use_cache", true);
        return json;
    }

    private static void rejectSlidingWindow(JsonNode json) {
        JsonNode use = json.get("use_sliding_window");
        JsonNode window = json.get("sliding_window");
        if (use != null && !use.isNull()) {
            if (use.asBoolean(true)) {
                throw new IllegalArgumentException("unsupported use_sliding_window = true (sliding-window attention)");
            }
        } else if (window != null && !window.isNull()
                && window.asDouble(0) < json.path("max_position_embeddings").asDouble(Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("unsupported sliding_window = " + window + " (sliding-window attention)");
        }
        JsonNode layerTypes = json.path("layer_types");
        for (JsonNode layerType : layerTypes) {
            if (!layerType.isString() || !layerType.stringValue().equals("full_attention")) {
                throw new IllegalArgumentException("unsupported layer_types entry " + layerType + " (only full_attention)");
            }
        }
    }

    private static Rope parseRope(JsonNode json) {
        // transformers 5 writes rope_parameters {rope_type, rope_theta, ...}; earlier configs write
        // rope_theta beside an optional rope_scaling {rope_type or type, factor, ...}
        JsonNode parameters = json.get("rope_parameters");
        String field;
        JsonNode scaling;
        double theta;
        if (parameters != null && parameters.isObject()) {
            field = "rope_parameters";
            scaling = parameters;
            theta = parameters.path("rope_theta").asDouble(json.path("rope_theta").asDouble(10_000));
        } else {
            field = "rope_scaling";
            scaling = json.get("rope_scaling");
            theta = json.path("rope_theta").asDouble(10_000);
        }
        if (scaling == null || scaling.isNull()) {
            return Rope.standard(theta);
        }
        String type = scaling.path("rope_type").asString(scaling.path("type").asString(Rope.DEFAULT)).toLowerCase(Locale.ROOT);
        if (type.equals(Rope.DEFAULT)) {
            return Rope.standard(theta);
        }
        if (!type.equals(Rope.LLAMA3)) {
            throw new IllegalArgumentException("unsupported " + field + ".rope_type " + type + " (default and llama3 are supported)");
        }
        return new Rope(Rope.LLAMA3, theta,
                scaling.path("factor").asDouble(8),
                scaling.path("low_freq_factor").asDouble(1),
                scaling.path("high_freq_factor").asDouble(4),
                intField(scaling, "original_max_position_embeddings", 8192));
    }

    private static List<Integer> tokenIds(JsonNode node, int fallback) {
        List<Integer> ids = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(id -> ids.add(intValue(id, "eos_token_id")));
        } else if (node.isNumber()) {
            ids.add(intValue(node, "eos_token_id"));
        } else {
            ids.add(fallback);
        }
        return ids;
    }

    private static int requiredInt(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException("config.json lacks " + field);
        }
        return intValue(value, field);
    }

    /** An optional integer field, {@code fallback} when absent or null. */
    private static int intField(JsonNode json, String field, int fallback) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? fallback : intValue(value, field);
    }

    private static int intValue(JsonNode value, String field) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException("config.json " + field + " must be a 32-bit integer, got " + value);
        }
        return value.intValue();
    }

    private static boolean fitsAnArray(long rows, long columns) {
        return rows * columns <= Integer.MAX_VALUE - 8;  // both factors are ints, so the product cannot overflow a long
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
