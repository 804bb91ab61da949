package io.recalign.alignment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The loss pieces of PPO (and GRPO) over padded token tensors (B, C) with a 0/1 mask of the real answer
 * tokens. Every mean is over masked tokens of the whole batch, as in the reference implementation.
 */
final class PpoLoss {

    private PpoLoss() {
    }

    /** The clipped surrogate loss with the figures it reports. */
    record PolicyTerms(NDArray loss, NDArray clipFraction, NDArray approxKl) {
    }

    /**
     * −min(ratio·A, clip(ratio, 1 − ε, 1 + ε)·A) averaged over tokens, ratio = exp(logπ − logπ_old); also
     * the share of tokens whose ratio left [1 − ε, 1 + ε] and the approximate KL(π_old ‖ π) as
     * mean((ratio − 1) − log ratio), which is never negative.
     */
    static PolicyTerms clippedPolicyLoss(NDArray logProbs, NDArray oldLogProbs, NDArray advantages, NDArray mask,
                                         double clip) {
        NDArray logRatio = logProbs.sub(oldLogProbs).mul(mask);                               // (B, C)
        NDArray ratio = logRatio.exp();
        NDArray unclipped = advantages.mul(ratio).neg();
        NDArray clipped = advantages.mul(ratio.clip(1 - clip, 1 + clip)).neg();
        NDArray loss = maskedMean(unclipped.maximum(clipped), mask);
        NDArray outside = ratio.sub(1).abs().gt(clip).toType(DataType.FLOAT32, false);
        NDArray approxKl = maskedMean(ratio.sub(1).sub(logRatio), mask);
        return new PolicyTerms(loss, maskedMean(outside, mask).stopGradient(), approxKl.stopGradient());
    }

    /**
     * 0.5 · max((V − R)², (V_clipped − R)²) averaged over tokens, V_clipped = V_old + clip(V − V_old, ±ε):
     * the value head may not move far from the values the rollout saw in one update.
     */
    static NDArray clippedValueLoss(NDArray values, NDArray oldValues, NDArray returns, NDArray mask, double clip) {
        NDArray clippedValues = oldValues.add(values.sub(oldValues).clip(-clip, clip));  // (B, C)
        NDArray unclipped = values.sub(returns).square();
        NDArray clipped = clippedValues.sub(returns).square();
        return maskedMean(unclipped.maximum(clipped), mask).mul(0.5f);
    }

    /** Mean entropy −Σ p·log p of the next-token distributions (B, C, V) at the masked positions. */
    static NDArray entropy(NDArray logits, NDArray mask) {
        NDArray logProbs = logits.logSoftmax(-1);                                           // (B, C, V)
        NDArray perToken = logProbs.exp().mul(logProbs).sum(new int[] {-1}).neg();          // (B, C)
        return maskedMean(perToken, mask);
    }

    /**
     * The per-token KL(π ‖ π_ref) estimate exp(r) − r − 1 with r = logπ_ref − logπ (GRPO's "k3"): unbiased,
     * never negative, with a gradient that pulls π towards the reference.
     */
    static NDArray referenceKl(NDArray logProbs, NDArray referenceLogProbs, NDArray mask) {
        NDArray difference = referenceLogProbs.sub(logProbs).mul(mask);                     // (B, C)
        return maskedMean(difference.exp().sub(difference).sub(1), mask);
    }

    /** Σ x·mask / Σ mask, a scalar. */
    static NDArray maskedMean(NDArray values, NDArray mask) {
        return values.mul(mask).sum().div(mask.sum().maximum(1f));
    }
}
