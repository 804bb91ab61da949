package io.recalign.llm;

import java.util.Collections;
import java.util.List;

/**
 * Continues prompts with a model: the prompts join one {@link DecodingBatch} together (one prefill pass
 * over the left-padded prompts fills a KV cache), which then feeds one token per sequence each step until
 * every sequence ended. Runs with gradient recording off and allocates every array in managers scoped to
 * the call, so nothing outlives it.
 */
public final class Generator {

    private final LlamaModel model;

    public Generator(LlamaModel model) {
        this.model = model;
    }

    public Generation generate(int[] prompt, GenerationSettings settings) {
        return generate(List.of(prompt), settings).get(0);
    }

    /**
     * Generates for several prompts of any lengths in one batch: prompts are left-padded, each
     * sequence's positions count from its own first token, and padding is masked from attention,
     * so each result equals generating that prompt alone. The processor and listener get each
     * prompt's index.
     */
    public List<Generation> generate(List<int[]> prompts, GenerationSettings settings) {
        try (DecodingBatch batch = new DecodingBatch(model)) {
            List<DecodingBatch.Sequence> sequences = batch.join(prompts, Collections.nCopies(prompts.size(), settings));
            while (!batch.isEmpty()) {
                batch.step();
            }
            return sequences.stream().map(DecodingBatch.Sequence::result).toList();
        }
    }
}
