package io.recalign.teacher;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Architecture of a SASRec teacher. {@link #PAPER} holds the paper's defaults.
 *
 * @param maxLength   how many of the latest history items the model reads (T)
 * @param hidden      width of item embeddings and hidden states (H)
 * @param blocks      number of causal self-attention blocks
 * @param heads       attention heads per block; must divide {@code hidden}
 * @param feedForward inner width of each block's feed-forward layer
 * @param dropout     dropout rate on embeddings, attention weights and feed-forward layers
 */
public record SasRecConfig(int maxLength, int hidden, int blocks, int heads, int feedForward, double dropout) {

    public static final SasRecConfig PAPER = new SasRecConfig(10, 128, 2, 2, 256, 0.5);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public SasRecConfig {
        requirePositive("maxLength", maxLength);
        requirePositive("hidden", hidden);
        requirePositive("blocks", blocks);
        requirePositive("heads", heads);
        requirePositive("feedForward", feedForward);
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden (" + hidden + ") must be a multiple of heads (" + heads + ")");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropout);
        }
    }

    /** Width of one attention head. */
    public int headSize() {
        return hidden / heads;
    }

    /** This configuration as a JSON object, for storage beside the weights. */
    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    /** The configuration stored by {@link #toJson()}; invalid values fail as in the constructor. */
    public static SasRecConfig fromJson(String json) {
        try {
            return JSON.readValue(json, SasRecConfig.class);
        } catch (JacksonException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw new IllegalArgumentException("malformed teacher configuration: " + e.getOriginalMessage(), e);
        }
    }

    static void requirePositive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }
}
