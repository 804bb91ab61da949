package io.recalign.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Mean cross-entropy of the next-item softmax over all V items, with its gradient formed in closed form
 * rather than by autograd through the (N, V) logits: d loss / d logits = (softmax - one-hot) / N. The
 * logits are computed from detached copies, so the graph never holds an (N, V) node; the closed-form
 * gradients of the hidden states and item embeddings are handed to autograd through a surrogate
 * {@code sum(hidden * dHidden) + sum(items * dItems)} whose gradient is exactly them. Same values as
 * log-softmax plus gather, fewer passes over the largest arrays of a step.
 */
final class FullSoftmaxCrossEntropy {

    /** Smallest probability used for the reported loss, so a vanishing target probability stays finite. */
    private static final float MIN_PROBABILITY = 1e-30f;

    private FullSoftmaxCrossEntropy() {
    }

    /**
     * @param hidden states (N, H) that predict the targets, in the autograd graph
     * @param items  embeddings (V, H) of all items, in the autograd graph
     * @param labels dense item index of each target (N) int64
     * @return the surrogate to call backward on, and the mean cross-entropy (a detached scalar)
     */
    static NDList of(NDArray hidden, NDArray items, NDArray labels) {
        NDManager scope = hidden.getManager();
        long targets = hidden.getShape().get(0);
        NDArray h = hidden.stopGradient();                                            // (N, H)
        NDArray e = items.stopGradient();                                             // (V, H)
        NDArray probabilities = SasRec.scores(new NDList(h, e)).softmax(-1);          // (N, V)
        NDIndex targetCells = new NDIndex("{}, {}", scope.arange(targets), labels);
        NDArray targetProbability = probabilities.get(targetCells);                   // (N)
        NDArray loss = targetProbability.clip(MIN_PROBABILITY, 1).log().mean().neg();
        probabilities.set(targetCells, targetProbability.sub(1));                     // (N, V) softmax - one-hot
        float scale = 1f / targets;
        NDArray dHidden = probabilities.matMul(e).muli(scale);                        // (N, H)
        NDArray dItems = probabilities.transpose().matMul(h).muli(scale);             // (V, H)
        NDArray surrogate = hidden.mul(dHidden).sum().add(items.mul(dItems).sum());
        return new NDList(surrogate, loss);
    }
}
