package io.recalign.alignment;

import io.recalign.tasks.RlPrompt;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One validation of an RL policy: its greedy answers to fixed held-out prompts (validation moments, the
 * RL tasks), judged by the reward. Per task and overall: the mean reward, the mean list-level score (the
 * task's own compliance: target position, share of C, share rule, count) and the mean number of
 * penalised titles (beyond N, unknown, repeated, in the history).
 *
 * @param metrics {@code valid_reward}, {@code valid_list_score}, {@code valid_penalised}, then the same
 *                with a {@code _<task>} suffix per task
 */
record RlEvaluation(int step, double reward, Map<String, Double> metrics) {

    static final String PREFIX = "valid_";

    RlEvaluation {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    static RlEvaluation of(int step, List<RlPrompt> prompts, List<Reward.Score> scores) {
        if (prompts.size() != scores.size() || prompts.isEmpty()) {
            throw new IllegalArgumentException("need one score per validation prompt, at least one");
        }
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            Reward.Score score = scores.get(i);
            for (String key : List.of("", "_" + prompts.get(i).task().code())) {
                double[] sum = sums.computeIfAbsent(key, k -> new double[4]);
                sum[0] += score.total();
                sum[1] += score.listScore();
                sum[2] += score.penalised();
                sum[3]++;
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        sums.forEach((suffix, sum) -> {
            metrics.put(PREFIX + "reward" + suffix, sum[0] / sum[3]);
            metrics.put(PREFIX + "list_score" + suffix, sum[1] / sum[3]);
            metrics.put(PREFIX + "penalised" + suffix, sum[2] / sum[3]);
        });
        return new RlEvaluation(step, metrics.get(PREFIX + "reward"), metrics);
    }

    /** Whether this validation beats {@code other} (null: nothing to beat) on the mean reward. */
    boolean betterThan(RlEvaluation other) {
        return other == null || reward > other.reward;
    }
}
