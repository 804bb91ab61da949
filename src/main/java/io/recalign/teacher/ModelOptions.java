package io.recalign.teacher;

import picocli.CommandLine.Option;

/** The architecture, batch and example options that {@code teacher train} and {@code bench teacher} share; unset means the paper's value. */
final class ModelOptions {

    @Option(names = "--max-len", description = "latest history items the model reads (default 10)")
    Integer maxLen;

    @Option(names = "--hidden", description = "embedding and hidden width (default 128)")
    Integer hidden;

    @Option(names = "--blocks", description = "self-attention blocks (default 2)")
    Integer blocks;

    @Option(names = "--heads", description = "attention heads per block (default 2)")
    Integer heads;

    @Option(names = "--dropout", description = "dropout rate (default 0.5)")
    Double dropout;

    @Option(names = "--batch-size", description = "training windows per optimizer step (default 256)")
    Integer batchSize;

    @Option(names = "--seed", description = "seed of initialization, dropout, sampling (default 1)")
    Integer seed;

    @Option(names = "--examples",
            description = "windows per epoch: ${COMPLETION-CANDIDATES} (default SHIFTED_WINDOWS)")
    TrainingExamples examples;

    /** The job parameters these options and the given epoch limits make (validated). */
    TeacherJobParams params(Integer epochs, Integer patience) {
        return new TeacherJobParams(maxLen, hidden, blocks, heads, dropout, epochs, patience, batchSize, seed, examples);
    }
}
