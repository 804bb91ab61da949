package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Continues prompts with a model: one prefill pass over the (left-padded) prompts fills a KV cache,
 * then each step feeds one token per sequence. Runs with gradient recording off and allocates
 * every array in a manager scoped to the call, so nothing outlives it.
 */
public final class Generator {

    private final LlamaModel model;
    private final LlamaConfig config;

    public Generator(LlamaModel model) {
        this.model = model;
        this.config = model.config();
    }

    public Generation generate(int[] prompt, GenerationSettings settings) {
        return generate(List.of(prompt), settings).get(0);
    }

    /**
     * Generates for several prompts of any lengths in one batch: prompts are left-padded, each
     * sequence's positions count from its own first token, and padding is masked from attention,
     * so each result equals generating that prompt alone.
     */
    public List<Generation> generate(List<int[]> prompts, GenerationSettings settings) {
        validate(prompts, settings);
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager call = model.parentManager().newSubManager()) {
            return run(call, prompts, settings);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private List<Generation> run(NDManager call, List<int[]> prompts, GenerationSettings settings) {
        int batch = prompts.size();
        int promptLength = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int capacity = promptLength + settings.maxNewTokens();
        int vocab = config.vocabSize();
        int[] lengths = prompts.stream().mapToInt(p -> p.length).toArray();
        boolean padded = Arrays.stream(lengths).anyMatch(length -> length != promptLength);
        boolean[][] validKeys = padded ? new boolean[batch][capacity] : null;
        long[] ids = new long[batch * promptLength];
        long[] positions = new long[batch * promptLength];
        for (int b = 0; b < batch; b++) {
            int pad = promptLength - lengths[b];
            for (int t = 0; t < promptLength; t++) {
                ids[b * promptLength + t] = t < pad ? config.padTokenId() : prompts.get(b)[t - pad];
                positions[b * promptLength + t] = Math.max(0, t - pad);
            }
            if (padded) {
                Arrays.fill(validKeys[b], pad, capacity, true);
            }
        }

        KvCache cache = new KvCache(call, config, batch, capacity);
        float[] logits;
        try (NDManager step = call.newSubManager()) {
            NDArray hidden = model.hidden(step.create(ids, new Shape(batch, promptLength)),
                    step.create(positions, new Shape(batch, promptLength)), promptLength - 1,
                    AttentionMask.build(step, validKeys, promptLength, 0, config.groupSize()), cache, step);  // (B, P, E)
            NDArray last = Ops.slice(hidden, new long[] {0, promptLength - 1, 0},
                    new long[] {batch, promptLength, config.hiddenSize()}, step);                         // (B, 1, E)
            logits = model.logits(last).toFloatArray();                                                    // (B·V)
        }

        int[][] generated = new int[batch][settings.maxNewTokens()];
        int[] counts = new int[batch];
        boolean[] finished = new boolean[batch];
        int active = batch;
        long[] nextIds = new long[batch];
        long[] nextPositions = new long[batch];
        for (int index = 0; ; index++) {
            for (int b = 0; b < batch; b++) {
                if (finished[b]) {
                    nextIds[b] = config.padTokenId();
                    continue;
                }
                float[] row = Arrays.copyOfRange(logits, b * vocab, (b + 1) * vocab);
                if (settings.logitsProcessor() != null) {
                    settings.logitsProcessor().process(b, Arrays.copyOf(generated[b], counts[b]), row);
                }
                int token = settings.sampler().sample(row);
                generated[b][counts[b]++] = token;
                nextIds[b] = token;
                if (settings.listener() != null) {
                    settings.listener().onToken(b, token);
                }
                if (settings.stopTokens().contains(token) || counts[b] == settings.maxNewTokens()) {
                    finished[b] = true;
                    active--;
                }
            }
            if (active == 0) {
                break;
            }
            int past = promptLength + index;
            int maxPosition = 0;
            for (int b = 0; b < batch; b++) {
                nextPositions[b] = lengths[b] + index;
                maxPosition = Math.max(maxPosition, (int) nextPositions[b]);
            }
            try (NDManager step = call.newSubManager()) {
                NDArray hidden = model.hidden(step.create(nextIds, new Shape(batch, 1)),
                        step.create(nextPositions, new Shape(batch, 1)), maxPosition,
                        AttentionMask.build(step, validKeys, 1, past, config.groupSize()), cache, step);  // (B, 1, E)
                logits = model.logits(hidden).toFloatArray();                                            // (B·V)
            }
        }

        List<Generation> results = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            int[] tokens = Arrays.copyOf(generated[b], counts[b]);
            boolean stopped = counts[b] > 0 && settings.stopTokens().contains(tokens[counts[b] - 1]);
            results.add(new Generation(tokens, stopped ? Generation.FinishReason.STOP_TOKEN : Generation.FinishReason.LENGTH));
        }
        return results;
    }

    private void validate(List<int[]> prompts, GenerationSettings settings) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompt to generate from");
        }
        for (int[] prompt : prompts) {
            if (prompt.length == 0) {
                throw new IllegalArgumentException("a prompt needs at least one token");
            }
            model.checkTokens(prompt);
            if (prompt.length + settings.maxNewTokens() > config.maxPositionEmbeddings()) {
                throw new IllegalArgumentException("a prompt of " + prompt.length + " tokens plus " + settings.maxNewTokens()
                        + " new tokens exceeds the model's context of " + config.maxPositionEmbeddings());
            }
        }
    }
}
