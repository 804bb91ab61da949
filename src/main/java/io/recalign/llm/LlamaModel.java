package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A Llama-family causal language model: token embedding, decoder layers, final RMSNorm and a
 * language-model head (tied to the embedding or not). Weights live in the model's own manager;
 * every forward pass allocates in the manager the caller scopes to it.
 */
public final class LlamaModel implements AutoCloseable {

    /** Logits (B, T, V) and final-norm hidden states (B, T, E) of one forward pass. */
    public record Forward(NDArray logits, NDArray hidden) {
    }

    /**
     * Log-probabilities (B, C) the model gives each continuation token, the mask (B, C) of real
     * (non-padding) continuation tokens, and the hidden states (B, C, E) that predicted them.
     */
    public record ContinuationScores(NDArray logProbs, NDArray mask, NDArray hidden) {
    }

    private static final double INIT_STD = 0.02;
    /** Added to the log-probabilities of a set's tokens: far enough below any other that exp() gives 0. */
    private static final float OUTSIDE = -1e4f;

    private final LlamaConfig config;
    private final NDManager manager;
    private final Weight embedding;
    private final List<DecoderLayer> layers;
    private final RmsNorm finalNorm;
    private final Weight head;
    private final RotaryEmbedding rotary;
    private final List<Weight> weights;

    private LlamaModel(LlamaConfig config, NDManager parent) {
        this.config = config;
        this.manager = parent.newSubManager();
        manager.setName("llama-weights");
        embedding = Weight.of("model.embed_tokens.weight", Weight.Init.NORMAL, config.vocabSize(), config.hiddenSize());
        List<DecoderLayer> built = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            built.add(new DecoderLayer(i, config, manager));
        }
        layers = List.copyOf(built);
        finalNorm = new RmsNorm("model.norm.weight", config.hiddenSize(), config.rmsNormEps(), manager);
        head = config.tieWordEmbeddings() ? embedding
                : Weight.of("lm_head.weight", Weight.Init.NORMAL, config.vocabSize(), config.hiddenSize());
        rotary = new RotaryEmbedding(config, manager);
        List<Weight> all = new ArrayList<>();
        all.add(embedding);
        layers.forEach(layer -> layer.collect(all));
        all.add(finalNorm.gain());
        if (head != embedding) {
            all.add(head);
        }
        weights = Collections.unmodifiableList(all);
    }

    /** A freshly initialised model (normal(0, 0.02) matrices, unit norm gains, zero biases). */
    public static LlamaModel create(LlamaConfig config, NDManager parent, long seed) {
        return create(config, parent, seed, Map.of());
    }

    /**
     * A freshly initialised model whose listed tokens start close to the tokens they are made of:
     * the embedding and head rows of each key of {@code parts} are half its own noise and half the
     * sum of its parts' rows (variance kept at 0.02²), so a title that starts near its categories lets
     * the model raise or lower a whole category with one direction before it has learnt every title.
     * A part must not itself have parts.
     */
    public static LlamaModel create(LlamaConfig config, NDManager parent, long seed, Map<Integer, int[]> parts) {
        checkParts(parts, config.vocabSize());
        LlamaModel model = new LlamaModel(config, parent);
        Random random = new Random(seed);
        for (Weight weight : model.weights) {
            float[] values = new float[Math.toIntExact(weight.size())];
            switch (weight.init()) {
                case NORMAL -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (random.nextGaussian() * INIT_STD);
                    }
                }
                case ONES -> Arrays.fill(values, 1f);
                case ZEROS -> { }
            }
            if (weight == model.embedding || weight == model.head) {
                composeRows(values, config.hiddenSize(), parts);
            }
            weight.set(model.manager.create(values, new Shape(weight.shape())));
        }
        return model;
    }

    private static void checkParts(Map<Integer, int[]> parts, int vocabSize) {
        parts.forEach((token, components) -> {
            if (token < 0 || token >= vocabSize || components.length == 0) {
                throw new IllegalArgumentException("token " + token + " needs parts within a vocabulary of " + vocabSize);
            }
            for (int component : components) {
                if (component < 0 || component >= vocabSize || parts.containsKey(component)) {
                    throw new IllegalArgumentException("token " + token + " has part " + component
                            + ", which is outside the vocabulary or has parts itself");
                }
            }
        });
    }

    /** Mixes each composed row with its parts' rows, which stay as drawn. */
    private static void composeRows(float[] values, int width, Map<Integer, int[]> parts) {
        double half = Math.sqrt(0.5);
        parts.forEach((token, components) -> {
            // the parts' sum over sqrt(count) has the variance of one row, so the mix keeps it too
            double partScale = half / Math.sqrt(components.length);
            int row = token * width;
            for (int j = 0; j < width; j++) {
                double sum = 0;
                for (int component : components) {
                    sum += values[component * width + j];
                }
                values[row + j] = (float) (half * values[row + j] + partScale * sum);
            }
        });
    }

    /**
     * A model holding the given Hugging Face tensors (names as in model.safetensors). Fails on a
     * missing tensor, a wrong shape or a tensor the architecture has no place for.
     */
    public static LlamaModel fromTensors(LlamaConfig config, Map<String, Safetensors.Tensor> tensors, NDManager parent) {
        // every layer has tensors of its own: a config asking for more layers than there are tensors is refused
        // before the layers are built
        if (config.numHiddenLayers() > tensors.size()) {
            throw new IllegalArgumentException("the config asks for " + config.numHiddenLayers()
                    + " layers, the checkpoint holds only " + tensors.size() + " tensors");
        }
        LlamaModel model = new LlamaModel(config, parent);
        try {
            Set<String> used = new HashSet<>();
            for (Weight weight : model.weights) {
                // shapes are checked before the weight's array is allocated, so a lying config fails here, not on memory
                for (Weight.Source source : weight.sources()) {
                    Safetensors.Tensor tensor = tensors.get(source.name());
                    if (tensor == null) {
                        throw new IllegalArgumentException("checkpoint lacks tensor " + source.name());
                    }
                    long[] expected = weight.shape();
                    expected[0] = source.rows();
                    if (!Arrays.equals(tensor.shape(), expected)) {
                        throw new IllegalArgumentException("tensor " + source.name() + " has shape " + Arrays.toString(tensor.shape())
                                + ", the config asks for " + Arrays.toString(expected));
                    }
                }
                float[] values = new float[Math.toIntExact(weight.size())];
                long rowSize = weight.size() / weight.shape()[0];
                int offset = 0;
                for (Weight.Source source : weight.sources()) {
                    Safetensors.Tensor tensor = tensors.get(source.name());
                    System.arraycopy(tensor.values(), 0, values, offset, tensor.values().length);
                    offset += Math.toIntExact(source.rows() * rowSize);
                    used.add(source.name());
                }
                weight.set(model.manager.create(values, new Shape(weight.shape())));
            }
            for (String name : tensors.keySet()) {
                boolean redundant = name.endsWith("rotary_emb.inv_freq") || (config.tieWordEmbeddings() && name.equals("lm_head.weight"));
                if (!used.contains(name) && !redundant) {
                    throw new IllegalArgumentException("checkpoint tensor " + name + " has no place in a " + config.numHiddenLayers()
                            + "-layer " + config.modelType() + " model");
                }
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The weights under their Hugging Face names, ready for model.safetensors. */
    public Map<String, Safetensors.Tensor> exportTensors() {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        for (Weight weight : weights) {
            float[] values = weight.array().toFloatArray();
            long rowSize = weight.size() / weight.shape()[0];
            int offset = 0;
            for (Weight.Source source : weight.sources()) {
                long[] shape = weight.shape();
                shape[0] = source.rows();
                int count = Math.toIntExact(source.rows() * rowSize);
                tensors.put(source.name(), new Safetensors.Tensor(shape, Arrays.copyOfRange(values, offset, offset + count)));
                offset += count;
            }
        }
        return tensors;
    }

    public LlamaConfig config() {
        return config;
    }

    /** Trainable arrays by internal name (q/k/v and gate/up stacked), the optimizer's view. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        weights.forEach(weight -> parameters.put(weight.name(), weight.array()));
        return parameters;
    }

    /** Names of the parameters that take weight decay (matrices, not gains or biases). */
    public Set<String> decayedParameters() {
        Set<String> names = new HashSet<>();
        weights.stream().filter(Weight::isMatrix).forEach(weight -> names.add(weight.name()));
        return names;
    }

    public long parameterCount() {
        return weights.stream().mapToLong(Weight::size).sum();
    }

    /** Makes every parameter record gradients in later forward passes run with grad mode on. */
    public void requireGradients() {
        weights.forEach(weight -> weight.array().setRequiresGradient(true));
    }

    /**
     * The core forward pass: final-norm hidden states (B, T, E) of token ids (B, T) at positions
     * (B, T), appending to {@code cache} when given.
     *
     * @param maxPosition the largest value in {@code positions}
     * @param mask        from {@link AttentionMask#build}, or null
     */
    NDArray hidden(NDArray ids, NDArray positions, int maxPosition, NDArray mask, KvCache cache, NDManager scope) {
        long[] shape = ids.getShape().getShape();
        int batch = (int) shape[0];
        int length = (int) shape[1];
        RotaryEmbedding.Turn turn = rotary.turn(positions, batch, length, maxPosition);
        NDArray x = Ops.embedding(ids, embedding.array());                               // (B, T, E)
        for (DecoderLayer layer : layers) {
            x = layer.forward(x, batch, length, rotary, turn, mask, cache, scope);
        }
        if (cache != null) {
            cache.advance(length);
        }
        return finalNorm.forward(x);                                                     // (B, T, E)
    }

    /** Next-token logits (..., V) of final-norm hidden states (..., E). */
    public NDArray logits(NDArray hidden) {
        return Ops.linear(hidden, head.array(), null);
    }

    /**
     * Forward pass over right-padded sequences (rows may differ in length; padding goes after the
     * tokens, where causal attention keeps it from affecting them).
     */
    public Forward forward(NDManager scope, int[][] tokens) {
        int length = maxLength(tokens);
        NDArray ids = scope.create(rightPadded(tokens, length), new Shape(tokens.length, length));
        NDArray hidden = hidden(ids, positions(scope, tokens.length, length), length - 1,
                AttentionMask.build(scope, null, length, 0, config.groupSize()), null, scope);
        return new Forward(logits(hidden), hidden);
    }

    /**
     * Mean cross-entropy of the tokens marked in {@code labelMask}: token t (t ≥ 1) of a row is
     * predicted from the tokens before it and counts where labelMask[row][t] is true. Rows may be
     * ragged; missing mask entries count as false.
     *
     * @return a scalar (owned by {@code scope}) that gradients flow from
     */
    public NDArray loss(NDManager scope, int[][] tokens, boolean[][] labelMask) {
        return loss(scope, tokens, labelMask, Unlikelihood.NONE);
    }

    /**
     * The mean cross-entropy plus, over the same labelled tokens, the weighted means of the two
     * unlikelihood terms of {@code unlikely}: where token t of a row is labelled, each token c of
     * {@code unlikely.tokens()[row][t]} adds −log(1 − p(c)), so the model learns what not to write there (a
     * title it already wrote, say), and the set {@code unlikely.sets()[row][t]} adds −log(1 − Σ p(c)).
     *
     * @return a scalar (owned by {@code scope}) that gradients flow from
     */
    public NDArray loss(NDManager scope, int[][] tokens, boolean[][] labelMask, Unlikelihood unlikely) {
        List<int[]> labelled = new ArrayList<>();
        for (int b = 0; b < tokens.length; b++) {
            for (int t = 1; t < tokens[b].length; t++) {
                if (b < labelMask.length && t < labelMask[b].length && labelMask[b][t]) {
                    labelled.add(new int[] {b, t});
                }
            }
        }
        if (labelled.isEmpty()) {
            throw new IllegalArgumentException("the label mask selects no token");
        }
        NDArray logProbs = logProbsAt(scope, tokens, labelled);                                    // (N, V)
        long[] targets = labelled.stream().mapToLong(at -> tokens[at[0]][at[1]]).toArray();
        NDArray loss = logProbs.gather(scope.create(targets, new Shape(targets.length, 1)), -1)
                .sum().neg().div(targets.length);
        if (unlikely.tokenWeight() > 0) {
            int[][] avoided = namedAt(unlikely.tokens(), labelled);
            if (Arrays.stream(avoided).anyMatch(candidates -> candidates.length > 0)) {
                loss = loss.add(unlikelihoodSum(scope, logProbs, avoided).div(targets.length).mul(unlikely.tokenWeight()));
            }
        }
        if (unlikely.setWeight() > 0) {
            int[][] sets = namedAt(unlikely.sets(), labelled);
            if (Arrays.stream(sets).anyMatch(set -> set.length > 0)) {
                loss = loss.add(setUnlikelihoodSum(scope, logProbs, sets).div(targets.length).mul(unlikely.setWeight()));
            }
        }
        return loss;
    }

    /**
     * The unlikelihood loss alone, for sequences the model wrote itself (sequence-level unlikelihood,
     * Welleck et al., 2020): the mean over the tokens t that {@code unlikely[row][t]} names candidates
     * for of Σ −log(1 − p(c)); no token is made more likely.
     *
     * @return a scalar (owned by {@code scope}) that gradients flow from
     */
    public NDArray unlikelihood(NDManager scope, int[][] tokens, int[][][] unlikely) {
        List<int[]> positions = new ArrayList<>();
        for (int b = 0; b < tokens.length; b++) {
            for (int t = 1; t < tokens[b].length; t++) {
                if (Unlikelihood.at(unlikely, b, t).length > 0) {
                    positions.add(new int[] {b, t});
                }
            }
        }
        if (positions.isEmpty()) {
            throw new IllegalArgumentException("no position names an unlikely token");
        }
        return unlikelihoodSum(scope, logProbsAt(scope, tokens, positions), namedAt(unlikely, positions))
                .div(positions.size());
    }

    /**
     * Log-probabilities (N, V) of the next token at each of {@code predicted} (row, t): the distribution
     * over token t of the row, from the tokens before it. Rows are right-padded into one batch.
     */
    private NDArray logProbsAt(NDManager scope, int[][] tokens, List<int[]> predicted) {
        int length = maxLength(tokens);
        if (length < 2) {
            throw new IllegalArgumentException("the loss needs sequences of at least two tokens");
        }
        int batch = tokens.length;
        int steps = length - 1;
        long[] rows = predicted.stream().mapToLong(at -> (long) at[0] * steps + at[1] - 1).toArray();
        NDArray hidden = hidden(scope.create(rightPadded(tokens, steps), new Shape(batch, steps)),
                positions(scope, batch, steps), steps - 1,
                AttentionMask.build(scope, null, steps, 0, config.groupSize()), null, scope);       // (B, T, E)
        // only the predicting positions go through the vocabulary-sized head
        NDArray predicting = Ops.embedding(scope.create(rows),
                hidden.reshape((long) batch * steps, config.hiddenSize()));                        // (N, E)
        return logits(predicting).logSoftmax(-1);                                                  // (N, V)
    }

    /**
     * Σ over the positions n that name a set of −log(1 − Σ_{c in set} p_n(c)), as minus the log-sum-exp of
     * the log-probabilities outside the set (those inside are pushed out of it by a large negative offset).
     */
    private static NDArray setUnlikelihoodSum(NDManager scope, NDArray logProbs, int[][] sets) {
        int vocab = (int) logProbs.getShape().get(1);
        long[] rows = IntStream.range(0, sets.length).filter(n -> sets[n].length > 0).asLongStream().toArray();
        float[] offsets = new float[rows.length * vocab];
        for (int r = 0; r < rows.length; r++) {
            for (int token : sets[(int) rows[r]]) {
                offsets[r * vocab + token] = OUTSIDE;
            }
        }
        NDArray kept = logProbs.get(new NDIndex("{}", scope.create(rows)))                          // (M, V)
                .add(scope.create(offsets, new Shape(rows.length, vocab)));
        NDArray top = kept.max(new int[] {-1}, true).stopGradient();                               // (M, 1)
        NDArray logKept = kept.sub(top).exp().sum(new int[] {-1}, true).log().add(top);            // (M, 1)
        return logKept.sum().neg();
    }

    /** Σ over positions n and candidates c of −log(1 − p_n(c)), p clipped so a sure candidate costs a finite amount. */
    private static NDArray unlikelihoodSum(NDManager scope, NDArray logProbs, int[][] candidates) {
        int positions = candidates.length;
        int width = Arrays.stream(candidates).mapToInt(row -> row.length).max().orElse(0);
        long[] index = new long[positions * width];
        float[] present = new float[positions * width];
        for (int n = 0; n < positions; n++) {
            for (int k = 0; k < candidates[n].length; k++) {
                index[n * width + k] = candidates[n][k];  // padding stays at token 0 with weight 0
                present[n * width + k] = 1;
            }
        }
        NDArray probabilities = logProbs.gather(scope.create(index, new Shape(positions, width)), -1).exp(); // (N, K)
        return probabilities.neg().add(1f).clip(1e-5f, 1f).log().neg()
                .mul(scope.create(present, new Shape(positions, width))).sum();
    }

    /** What {@code table} names at each of the positions, its token ids checked against the vocabulary. */
    private int[][] namedAt(int[][][] table, List<int[]> positions) {
        return positions.stream().map(at -> {
            int[] named = Unlikelihood.at(table, at[0], at[1]);
            checkTokens(named);
            return named;
        }).toArray(int[][]::new);
    }

    /**
     * Scores continuations after prompts in one batch: prompts are left-padded and continuations
     * right-padded, so every continuation starts in the same column (the layout batched generation
     * uses, so scores match what generation saw).
     */
    public ContinuationScores scoreContinuations(NDManager scope, List<int[]> prompts, List<int[]> continuations) {
        if (prompts.size() != continuations.size() || prompts.isEmpty()) {
            throw new IllegalArgumentException("need as many continuations as prompts, at least one");
        }
        int batch = prompts.size();
        prompts.forEach(this::checkTokens);
        continuations.forEach(this::checkTokens);
        int promptLength = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int continuationLength = continuations.stream().mapToInt(c -> c.length).max().orElseThrow();
        if (prompts.stream().anyMatch(p -> p.length == 0) || continuationLength == 0) {
            throw new IllegalArgumentException("every prompt needs a token and some continuation must be non-empty");
        }
        int length = promptLength + continuationLength - 1;  // the last continuation token is never an input
        long[] ids = new long[batch * length];
        long[] positionValues = new long[batch * length];
        boolean[][] valid = new boolean[batch][length];
        long[] targets = new long[batch * continuationLength];
        float[] mask = new float[batch * continuationLength];
        int maxPosition = 0;
        for (int b = 0; b < batch; b++) {
            int[] prompt = prompts.get(b);
            int[] continuation = continuations.get(b);
            int pad = promptLength - prompt.length;
            for (int t = 0; t < length; t++) {
                int token;
                if (t < pad) {
                    token = -1;
                } else if (t < promptLength) {
                    token = prompt[t - pad];
                } else {
                    int c = t - promptLength;
                    token = c < continuation.length ? continuation[c] : -1;
                }
                valid[b][t] = token >= 0;
                ids[b * length + t] = valid[b][t] ? token : config.padTokenId();
                positionValues[b * length + t] = Math.max(0, t - pad);
                maxPosition = Math.max(maxPosition, t - pad);
            }
            for (int c = 0; c < continuation.length; c++) {
                targets[b * continuationLength + c] = continuation[c];
                mask[b * continuationLength + c] = 1;
            }
        }
        NDArray hidden = hidden(scope.create(ids, new Shape(batch, length)),
                scope.create(positionValues, new Shape(batch, length)), maxPosition,
                AttentionMask.build(scope, valid, length, 0, config.groupSize()), null, scope);
        NDArray predicting = Ops.slice(hidden, new long[] {0, promptLength - 1, 0},
                new long[] {batch, length, config.hiddenSize()}, scope);                  // (B, C, E)
        NDArray logProbs = logits(predicting).logSoftmax(-1)                              // (B, C, V)
                .gather(scope.create(targets, new Shape(batch, continuationLength, 1)), -1)
                .reshape(batch, continuationLength);                                       // (B, C)
        NDArray validMask = scope.create(mask, new Shape(batch, continuationLength));
        return new ContinuationScores(logProbs.mul(validMask), validMask, predicting);
    }

    /** Logits (T, V) of every position of one unpadded sequence, with gradients off. */
    public float[][] logits(int[] tokens) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = manager.getParentManager().newSubManager()) {
            float[] flat = forward(scope, new int[][] {tokens}).logits().toFloatArray();
            float[][] rows = new float[tokens.length][];
            for (int t = 0; t < tokens.length; t++) {
                rows[t] = Arrays.copyOfRange(flat, t * config.vocabSize(), (t + 1) * config.vocabSize());
            }
            return rows;
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** The manager new per-call managers should descend from (the one that created this model). */
    NDManager parentManager() {
        return manager.getParentManager();
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Fails on an id the embedding has no row for. */
    void checkTokens(int[] tokens) {
        for (int id : tokens) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + config.vocabSize());
            }
        }
    }

    private int maxLength(int[][] tokens) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        for (int[] row : tokens) {
            checkTokens(row);
        }
        int length = Arrays.stream(tokens).mapToInt(row -> row.length).max().orElseThrow();
        if (length == 0) {
            throw new IllegalArgumentException("every sequence is empty");
        }
        return length;
    }

    /** The first {@code width} tokens of each row, padded on the right to {@code width} columns. */
    private long[] rightPadded(int[][] tokens, int width) {
        long[] ids = new long[tokens.length * width];
        Arrays.fill(ids, config.padTokenId());
        for (int b = 0; b < tokens.length; b++) {
            for (int t = 0; t < Math.min(width, tokens[b].length); t++) {
                ids[b * width + t] = tokens[b][t];
            }
        }
        return ids;
    }

    private static NDArray positions(NDManager scope, int batch, int length) {
        return scope.arange(0, length, 1, DataType.INT64).broadcast(batch, length);
    }
}
