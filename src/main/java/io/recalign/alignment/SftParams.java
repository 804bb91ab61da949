package io.recalign.alignment;

import io.recalign.llm.LlamaConfig;
import java.util.Map;

/**
 * Parameters of an SFT run (job type {@code sft}); null means the default, which {@link #withDefaults}
 * fills in so that a stored job says exactly what runs.
 *
 * @param baseModel       a Hugging Face checkpoint directory to fine-tune with its own tokenizer; with
 *                        neither it nor {@code fromModel}, a model is created from scratch with the
 *                        catalog tokenizer and the default CPU config
 * @param fromModel       a registered model to fine-tune further (with its tokenizer)
 * @param instructionSet  the instruction set to train on; default the one {@code fromModel} was trained on,
 *                        else the dataset's latest (built first when the dataset has none)
 * @param counts          per split and task example counts for that build, over the default plan
 * @param steps           optimizer steps; default {@code epochs} passes over the training examples
 * @param epochs          passes over the training examples when {@code steps} is not given (default 3)
 * @param batchSize       sequences per micro-batch (default 16)
 * @param accumulation    micro-batches per optimizer step (default 1)
 * @param lr              peak learning rate (default 1e-3 from scratch, 1e-4 for a pretrained model)
 * @param minLr           learning rate at the end of the cosine decay (default lr / 10)
 * @param warmupSteps     linear warm-up steps (default 5 % of the steps, at most 200)
 * @param weightDecay     AdamW decoupled weight decay on matrices (default 0.1)
 * @param maxGradNorm     global gradient-norm clip, 0 for none (default 1.0)
 * @param evalEvery       steps between validations (default a tenth of the steps, at least 20); the last
 *                        step is always validated
 * @param checkpointEvery steps between resume checkpoints (default evalEvery)
 * @param logEvery        steps between logged history points (default 10)
 * @param validExamples   validation examples (all tasks) for the validation loss (default 400)
 * @param recallExamples  validation SeqRec examples for Recall@10 (default 300)
 * @param maxLength       longest training sequence in tokens; longer examples are skipped (default the
 *                        model's context)
 * @param seed            model initialisation, batch order and instruction-set build (default 42)
 * @param model           the shape of a model created from scratch (default {@link LlamaConfig#defaultCpu})
 * @param threads         intra-op threads of the training thread (default the engine's); one is fastest
 *                        for very small models
 * @param unlikelihood    weight of the unlikelihood loss on the titles an answer already listed or that
 *                        are in the user's history ({@link UnlikelyTitles}); default 0, the method's loss
 *                        alone
 * @param sequenceUnlikelihood weight of the same loss on the model's own greedy answers to the step's
 *                        training prompts, where its repeats are (sequence-level unlikelihood); default 0
 * @param sequenceEvery   steps between those sequence-level terms (default 4: the answers cost a greedy
 *                        generation)
 * @param categoryInit    a from-scratch model's title tokens start close to their categories' tokens
 *                        ({@link io.recalign.llm.LlamaModel#create(LlamaConfig, ai.djl.ndarray.NDManager, long,
 *                        Map)}); default false
 * @param controlUnlikelihood weight of the loss on the total probability a title of an answer puts on the
 *                        titles its category intention rules out ({@link UnlikelyTitles}); default 0
 */
public record SftParams(String baseModel, Long fromModel, Long instructionSet, Map<String, Map<String, Integer>> counts,
        Integer steps, Integer epochs, Integer batchSize, Integer accumulation, Double lr, Double minLr,
        Integer warmupSteps, Double weightDecay, Double maxGradNorm, Integer evalEvery, Integer checkpointEvery,
        Integer logEvery, Integer validExamples, Integer recallExamples, Integer maxLength, Long seed,
        ModelShape model, Integer threads, Double unlikelihood, Double sequenceUnlikelihood, Integer sequenceEvery,
        Boolean categoryInit, Double controlUnlikelihood) {

    /**
     * Width and depth of a from-scratch model; every other setting is the default CPU config's. Null
     * fields take the default CPU config's value.
     */
    public record ModelShape(Integer hiddenSize, Integer intermediateSize, Integer layers, Integer heads,
                             Integer keyValueHeads, Integer context) {

        LlamaConfig config(int vocabSize) {
            LlamaConfig base = LlamaConfig.defaultCpu(vocabSize);
            int hidden = hiddenSize != null ? hiddenSize : base.hiddenSize();
            int attentionHeads = heads != null ? heads : base.numAttentionHeads();
            if (hidden % attentionHeads != 0) {
                throw new IllegalArgumentException("model.hiddenSize (" + hidden + ") must be a multiple of model.heads ("
                        + attentionHeads + ")");
            }
            return new LlamaConfig(base.modelType(), vocabSize, hidden,
                    intermediateSize != null ? intermediateSize : base.intermediateSize(),
                    layers != null ? layers : base.numHiddenLayers(), attentionHeads,
                    keyValueHeads != null ? keyValueHeads : Math.min(attentionHeads, base.numKeyValueHeads()),
                    hidden / attentionHeads, context != null ? context : base.maxPositionEmbeddings(), base.rmsNormEps(),
                    base.tieWordEmbeddings(), base.qkvBias(), base.outputBias(), base.mlpBias(), base.rope(),
                    base.bosTokenId(), base.eosTokenIds(), base.padTokenId(), base.dtype());
        }
    }


    public static final long DEFAULT_SEED = 42;

    public SftParams {
        if (baseModel != null && baseModel.isBlank()) {
            baseModel = null;
        }
        if (baseModel != null && fromModel != null) {
            throw new IllegalArgumentException("give baseModel or fromModel, not both");
        }
        if (model != null && (baseModel != null || fromModel != null)) {
            throw new IllegalArgumentException("model (a shape for a new model) does not go with baseModel or fromModel");
        }
        if (Boolean.TRUE.equals(categoryInit) && (baseModel != null || fromModel != null)) {
            throw new IllegalArgumentException("categoryInit starts a new model; it does not go with baseModel or fromModel");
        }
        if (model != null) {
            model.config(8);  // fails now on a shape that cannot be built
        }
        positive("steps", steps);
        positive("epochs", epochs);
        positive("batchSize", batchSize);
        positive("accumulation", accumulation);
        positive("evalEvery", evalEvery);
        positive("checkpointEvery", checkpointEvery);
        positive("logEvery", logEvery);
        positive("validExamples", validExamples);
        positive("recallExamples", recallExamples);
        positive("maxLength", maxLength);
        positive("threads", threads);
        if (maxLength != null && maxLength < 8) {
            throw new IllegalArgumentException("maxLength must be at least 8, got " + maxLength);
        }
        if (lr != null && !(lr > 0 && lr < 1)) {
            throw new IllegalArgumentException("lr must lie in (0, 1), got " + lr);
        }
        if (minLr != null && !(minLr >= 0 && (lr == null || minLr <= lr))) {
            throw new IllegalArgumentException("minLr must lie in [0, lr], got " + minLr);
        }
        if (warmupSteps != null && (warmupSteps < 0 || (steps != null && warmupSteps >= steps))) {
            throw new IllegalArgumentException("warmupSteps must lie in [0, steps), got " + warmupSteps);
        }
        if (weightDecay != null && !(weightDecay >= 0 && weightDecay < 1)) {
            throw new IllegalArgumentException("weightDecay must lie in [0, 1), got " + weightDecay);
        }
        if (maxGradNorm != null && !(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("maxGradNorm must not be negative, got " + maxGradNorm);
        }
        unlikelihoodWeight("unlikelihood", unlikelihood);
        unlikelihoodWeight("sequenceUnlikelihood", sequenceUnlikelihood);
        unlikelihoodWeight("controlUnlikelihood", controlUnlikelihood);
        positive("sequenceEvery", sequenceEvery);
    }

    /** Whether the run starts from a pretrained model rather than from scratch. */
    public boolean pretrained() {
        return baseModel != null || fromModel != null;
    }

    /** Every default that does not depend on the training data filled in. */
    public SftParams withDefaults() {
        double rate = lr != null ? lr : pretrained() ? 1e-4 : 1e-3;
        return new SftParams(baseModel, fromModel, instructionSet, counts == null ? Map.of() : counts, steps,
                steps == null ? Integer.valueOf(epochs == null ? 3 : epochs) : epochs,
                or(batchSize, 16), or(accumulation, 1), rate, minLr != null ? minLr : rate / 10,
                warmupSteps, weightDecay != null ? weightDecay : 0.1, maxGradNorm != null ? maxGradNorm : 1.0,
                evalEvery, checkpointEvery, or(logEvery, 10), or(validExamples, 400), or(recallExamples, 300),
                maxLength, seed != null ? seed : DEFAULT_SEED, model, threads, unlikelihood != null ? unlikelihood : 0.0,
                sequenceUnlikelihood != null ? sequenceUnlikelihood : 0.0, or(sequenceEvery, 4),
                categoryInit != null ? categoryInit : false, controlUnlikelihood != null ? controlUnlikelihood : 0.0);
    }

    /** The config of a model created from scratch over a vocabulary of {@code vocabSize}. */
    LlamaConfig scratchConfig(int vocabSize) {
        return model != null ? model.config(vocabSize) : LlamaConfig.defaultCpu(vocabSize);
    }

    /** The schedule once the number of steps is known. */
    SftSchedule schedule(int trainExamples) {
        int total = steps != null ? steps
                : Math.max(1, (int) Math.ceil((double) epochs * trainExamples / (batchSize * accumulation)));
        int warmup = warmupSteps != null ? Math.min(warmupSteps, total - 1) : Math.min(200, total / 20);
        int evaluate = evalEvery != null ? evalEvery : Math.max(20, total / 10);
        int checkpoint = checkpointEvery != null ? checkpointEvery : evaluate;
        return new SftSchedule(total, warmup, evaluate, checkpoint);
    }

    /** Step counts of a run: total, warm-up, and the intervals of validation and checkpoints. */
    record SftSchedule(int steps, int warmupSteps, int evalEvery, int checkpointEvery) {
    }

    private static int or(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    private static void unlikelihoodWeight(String name, Double value) {
        if (value != null && !(value >= 0 && value <= 10)) {
            throw new IllegalArgumentException(name + " must lie in [0, 10], got " + value);
        }
    }

    private static void positive(String name, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
