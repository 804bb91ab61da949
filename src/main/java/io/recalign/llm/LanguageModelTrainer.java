package io.recalign.llm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.Function;

/**
 * One optimisation step at a time: forward under a gradient collector, backward, AdamW update.
 * PyTorch allows one collector per process, so all training must run on a single thread.
 */
public final class LanguageModelTrainer {

    private final LlamaModel model;
    private final AdamW optimizer;

    public LanguageModelTrainer(LlamaModel model, AdamW optimizer) {
        this.model = model;
        this.optimizer = optimizer;
        model.requireGradients();
    }

    /** One step on the mean cross-entropy of the labelled tokens; returns that loss. */
    public float step(int[][] tokens, boolean[][] labelMask) {
        return step(scope -> model.loss(scope, tokens, labelMask));
    }

    /** One step on any scalar loss the function builds from the model; returns the loss value. */
    public float step(Function<NDManager, NDArray> loss) {
        return update(loss).loss();
    }

    /** What a step did: its loss, and whether the optimizer skipped it for a non-finite gradient. */
    public record Update(float loss, boolean skipped) {
    }

    /**
     * One step on any scalar loss the function builds from the model (RL objectives), in a scope
     * closed after the update.
     */
    public Update update(Function<NDManager, NDArray> loss) {
        float value;
        try (NDManager scope = model.parentManager().newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray objective = loss.apply(scope);
            collector.backward(objective);
            value = objective.getFloat();
        }
        return new Update(value, optimizer.step().skipped());
    }
}
