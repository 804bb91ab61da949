package io.recalign.teacher;

import io.recalign.catalog.CatalogSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The method's evaluation of a next-item scorer on one snapshot: the validation target after the training
 * sequence, and the test target after training sequence plus validation target. Full ranking masks the
 * history (never the target); the sampled protocol draws, once per evaluator and seeded, 100 negatives per
 * user among the items outside the user's whole sequence.
 */
final class TeacherEvaluator {

    static final int SAMPLED_NEGATIVES = 100;
    private static final int BATCH = 256;

    /** Scores every item as the next one after each history: row-major (histories, items). */
    @FunctionalInterface
    interface Scorer {
        float[] score(List<int[]> histories);
    }

    private record Case(int[] history, int target, int[] negatives) {
    }

    private final int itemCount;
    private final List<Case> validation = new ArrayList<>();
    private final List<Case> test = new ArrayList<>();

    TeacherEvaluator(CatalogSnapshot snapshot, int seed) {
        itemCount = snapshot.items().size();
        SplittableRandom random = new SplittableRandom(seed);
        for (CatalogSnapshot.UserSequence user : snapshot.users()) {
            boolean[] seen = new boolean[itemCount];
            for (int item : user.items()) {
                seen[item] = true;
            }
            validation.add(new Case(user.validationHistory(), user.validationTarget(), negatives(seen, random)));
            test.add(new Case(user.testHistory(), user.testTarget(), negatives(seen, random)));
        }
    }

    RankingMetrics validation(Scorer scorer) {
        return evaluate(scorer, validation);
    }

    RankingMetrics test(Scorer scorer) {
        return evaluate(scorer, test);
    }

    private RankingMetrics evaluate(Scorer scorer, List<Case> cases) {
        int[] fullRanks = new int[cases.size()];
        int[] sampledRanks = new int[cases.size()];
        boolean[] masked = new boolean[itemCount];
        for (int start = 0; start < cases.size(); start += BATCH) {
            List<Case> batch = cases.subList(start, Math.min(cases.size(), start + BATCH));
            float[] scores = scorer.score(batch.stream().map(Case::history).toList());
            for (int b = 0; b < batch.size(); b++) {
                Case c = batch.get(b);
                for (int item : c.history()) {
                    masked[item] = true;
                }
                masked[c.target()] = false;
                fullRanks[start + b] = fullRank(scores, b * itemCount, itemCount, c.target(), masked);
                sampledRanks[start + b] = sampledRank(scores, b * itemCount, c.target(), c.negatives());
                for (int item : c.history()) {
                    masked[item] = false;
                }
            }
        }
        return RankingMetrics.of(fullRanks, sampledRanks);
    }

    /** 1 + the number of unmasked items scored strictly above the target. */
    static int fullRank(float[] scores, int offset, int itemCount, int target, boolean[] masked) {
        float targetScore = scores[offset + target];
        int above = 0;
        for (int item = 0; item < itemCount; item++) {
            if (scores[offset + item] > targetScore && !masked[item]) {
                above++;
            }
        }
        return above + 1;
    }

    /** 1 + the number of negatives scored strictly above the target. */
    static int sampledRank(float[] scores, int offset, int target, int[] negatives) {
        float targetScore = scores[offset + target];
        int above = 0;
        for (int item : negatives) {
            if (scores[offset + item] > targetScore) {
                above++;
            }
        }
        return above + 1;
    }

    /** 100 distinct items the user never interacted with, or all of them when there are fewer. */
    private static int[] negatives(boolean[] seen, SplittableRandom random) {
        int[] unseen = IntStream.range(0, seen.length).filter(item -> !seen[item]).toArray();
        if (unseen.length <= SAMPLED_NEGATIVES) {
            return unseen;
        }
        for (int i = 0; i < SAMPLED_NEGATIVES; i++) {   // partial Fisher-Yates shuffle
            int j = i + random.nextInt(unseen.length - i);
            int swap = unseen[i];
            unseen[i] = unseen[j];
            unseen[j] = swap;
        }
        return Arrays.copyOf(unseen, SAMPLED_NEGATIVES);
    }
}
