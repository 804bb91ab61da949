package io.recalign.alignment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One validation of an SFT run.
 *
 * @param validLoss    mean cross-entropy of the answer tokens of the validation examples
 * @param recallAt10   share of validation SeqRec prompts whose greedy answer holds the target in its
 *                     first ten titles
 * @param nonExistRate titles per SeqRec answer that match no catalog item
 * @param repeatRate   titles per SeqRec answer that repeat an item listed before them (null in the
 *                     saved state of a run started before it was measured)
 * @param extra        figures of the final validation only (count and category control), else empty
 */
record SftEvaluation(int step, double validLoss, double recallAt10, double nonExistRate, Double repeatRate,
        Map<String, Double> extra) {

    SftEvaluation {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** Better by Recall@10, ties by lower validation loss. */
    boolean betterThan(SftEvaluation other) {
        if (other == null) {
            return true;
        }
        if (recallAt10 != other.recallAt10) {
            return recallAt10 > other.recallAt10;
        }
        return validLoss < other.validLoss;
    }

    Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("valid_loss", validLoss);
        metrics.put("valid_recall@10", recallAt10);
        metrics.put("valid_nonexist_rate", nonExistRate);
        if (repeatRate != null) {
            metrics.put("valid_repeat_rate", repeatRate);
        }
        metrics.putAll(extra);
        return metrics;
    }
}
