package io.recalign.llm;

import java.util.Collection;
import java.util.Set;

/**
 * How to continue prompts: at most {@code maxNewTokens} tokens each, stopping early at any of
 * {@code stopTokens}; tokens chosen by {@code sampler} after {@code logitsProcessor} (may be null)
 * adjusted the logits; {@code listener} (may be null) hears each token as it is chosen.
 */
public record GenerationSettings(int maxNewTokens, Set<Integer> stopTokens, Sampler sampler,
                                 LogitsProcessor logitsProcessor, TokenListener listener) {

    public GenerationSettings {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be at least 1, got " + maxNewTokens);
        }
        stopTokens = Set.copyOf(stopTokens);
        if (sampler == null) {
            throw new IllegalArgumentException("a sampler is required");
        }
    }

    /** Greedy decoding without processor or listener. */
    public static GenerationSettings greedy(int maxNewTokens, Collection<Integer> stopTokens) {
        return new GenerationSettings(maxNewTokens, Set.copyOf(stopTokens), Sampler.greedy(), null, null);
    }

    public GenerationSettings withSampler(Sampler other) {
        return new GenerationSettings(maxNewTokens, stopTokens, other, logitsProcessor, listener);
    }

    public GenerationSettings withLogitsProcessor(LogitsProcessor other) {
        return new GenerationSettings(maxNewTokens, stopTokens, sampler, other, listener);
    }

    public GenerationSettings withListener(TokenListener other) {
        return new GenerationSettings(maxNewTokens, stopTokens, sampler, logitsProcessor, other);
    }
}
