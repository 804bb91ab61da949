package io.recalign.teacher;

/**
 * Parameters of a {@code teacher} job; a missing one takes the paper's value ({@link SasRecConfig#PAPER},
 * {@link TrainingOptions#DEFAULTS}). The feed-forward width is twice {@code hidden}, as in the paper.
 * Invalid values fail in the constructor, naming the parameter.
 */
record TeacherJobParams(Integer maxLen, Integer hidden, Integer blocks, Integer heads, Double dropout,
        Integer epochs, Integer patience, Integer batchSize, Integer seed, TrainingExamples examples) {

    // bounds that keep one job within a training machine's memory and a working day
    static final int MAX_LENGTH_LIMIT = 512;
    static final int HIDDEN_LIMIT = 2048;
    static final int BLOCKS_LIMIT = 24;
    static final int EPOCHS_LIMIT = 10_000;
    static final int BATCH_SIZE_LIMIT = 65_536;

    TeacherJobParams {
        SasRecConfig paper = SasRecConfig.PAPER;
        TrainingOptions defaults = TrainingOptions.DEFAULTS;
        maxLen = within("maxLen", maxLen, paper.maxLength(), MAX_LENGTH_LIMIT);
        hidden = within("hidden", hidden, paper.hidden(), HIDDEN_LIMIT);
        blocks = within("blocks", blocks, paper.blocks(), BLOCKS_LIMIT);
        heads = within("heads", heads, paper.heads(), hidden);
        dropout = dropout == null ? paper.dropout() : dropout;
        epochs = within("epochs", epochs, defaults.epochs(), EPOCHS_LIMIT);
        patience = within("patience", patience, defaults.patience(), EPOCHS_LIMIT);
        batchSize = within("batchSize", batchSize, defaults.batchSize(), BATCH_SIZE_LIMIT);
        seed = seed == null ? defaults.seed() : seed;
        examples = examples == null ? defaults.examples() : examples;
        // the remaining checks (heads divide hidden, dropout in [0, 1)) are the configuration's own
        new SasRecConfig(maxLen, hidden, blocks, heads, 2 * hidden, dropout);
    }

    SasRecConfig config() {
        return new SasRecConfig(maxLen, hidden, blocks, heads, 2 * hidden, dropout);
    }

    TrainingOptions options() {
        TrainingOptions defaults = TrainingOptions.DEFAULTS;
        return new TrainingOptions(epochs, patience, batchSize, defaults.learningRate(), seed, examples);
    }

    private static int within(String name, Integer value, int byDefault, int limit) {
        int actual = value == null ? byDefault : value;
        if (actual < 1 || actual > limit) {
            throw new IllegalArgumentException(name + " must be between 1 and " + limit + ", was " + actual);
        }
        return actual;
    }
}
