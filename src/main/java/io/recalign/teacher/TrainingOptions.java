package io.recalign.teacher;

import java.util.Objects;

/**
 * How a SASRec teacher is trained. {@link #DEFAULTS}: 200 epochs at most, early stopping after 10 epochs
 * without a better validation NDCG@10, batches of 256 windows, Adam at 1e-3, seed 1, shifted windows.
 *
 * @param epochs       maximum number of epochs
 * @param patience     epochs without a better validation NDCG@10 before stopping
 * @param batchSize    training windows per optimizer step
 * @param learningRate Adam learning rate
 * @param seed         seeds weight initialization, dropout, window sampling and the sampled-negatives evaluation
 * @param examples     which windows of the training sequences make up an epoch
 */
public record TrainingOptions(int epochs, int patience, int batchSize, double learningRate, int seed,
                              TrainingExamples examples) {

    public static final TrainingOptions DEFAULTS =
            new TrainingOptions(200, 10, 256, 1e-3, 1, TrainingExamples.SHIFTED_WINDOWS);

    public TrainingOptions {
        SasRecConfig.requirePositive("epochs", epochs);
        SasRecConfig.requirePositive("patience", patience);
        SasRecConfig.requirePositive("batchSize", batchSize);
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1), was " + learningRate);
        }
        Objects.requireNonNull(examples, "examples");
    }

    public TrainingOptions withEpochs(int epochs) {
        return new TrainingOptions(epochs, patience, batchSize, learningRate, seed, examples);
    }

    public TrainingOptions withPatience(int patience) {
        return new TrainingOptions(epochs, patience, batchSize, learningRate, seed, examples);
    }

    public TrainingOptions withSeed(int seed) {
        return new TrainingOptions(epochs, patience, batchSize, learningRate, seed, examples);
    }
}
