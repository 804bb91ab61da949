package io.recalign.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.catalog.CatalogSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TeacherEvaluatorTest {

    private static final int ITEMS = 300;

    /** Item i scores ITEMS - i for every history: item 0 is always the best. */
    private static float[] descending(List<int[]> histories) {
        float[] scores = new float[histories.size() * ITEMS];
        for (int b = 0; b < histories.size(); b++) {
            for (int item = 0; item < ITEMS; item++) {
                scores[b * ITEMS + item] = ITEMS - item;
            }
        }
        return scores;
    }

    private static CatalogSnapshot snapshot(int[]... sequences) {
        List<CatalogSnapshot.Item> items = IntStream.range(0, ITEMS)
                .mapToObj(i -> new CatalogSnapshot.Item("i" + i, "Item " + i, new int[0])).toList();
        List<CatalogSnapshot.UserSequence> users = new ArrayList<>();
        for (int[] sequence : sequences) {
            users.add(new CatalogSnapshot.UserSequence("u" + users.size(), sequence));
        }
        return new CatalogSnapshot("hand-made", items, List.of(), users);
    }

    @Test
    void fullRankingMasksTheHistory() {
        // validation: history {0, 1, 2}, target 5; items 3 and 4 are the only unmasked items above it
        TeacherEvaluator evaluator = new TeacherEvaluator(snapshot(new int[] {0, 1, 2, 5, 12}), 1);
        RankingMetrics validation = evaluator.validation(TeacherEvaluatorTest::descending);
        assertThat(validation.ndcg10()).isEqualTo(RankingMetrics.ndcg(3, 10));
        // test: history {0, 1, 2, 5}, target 12: unmasked items above it are 3, 4, 6..11 (8 items)
        RankingMetrics test = evaluator.test(TeacherEvaluatorTest::descending);
        assertThat(test.ndcg10()).isEqualTo(RankingMetrics.ndcg(9, 10));
    }

    @Test
    void targetIsNeverMaskedEvenWhenInTheHistory() {
        // test target 7 was already consumed; it is still ranked: 3, 4, 5, 6 are unmasked above it
        TeacherEvaluator evaluator = new TeacherEvaluator(snapshot(new int[] {7, 0, 1, 2, 7}), 1);
        RankingMetrics test = evaluator.test(TeacherEvaluatorTest::descending);
        assertThat(test.hr10()).isEqualTo(1);
        assertThat(test.ndcg10()).isEqualTo(RankingMetrics.ndcg(5, 10));
    }

    @Test
    void sampledProtocolRanksTheTargetAmongOneHundredUnseenItems() {
        // target 0 beats every item; target 299 loses to every item
        TeacherEvaluator best = new TeacherEvaluator(snapshot(new int[] {3, 4, 0, 0}), 5);
        assertThat(best.test(TeacherEvaluatorTest::descending).sampledNdcg10()).isEqualTo(1);
        TeacherEvaluator worst = new TeacherEvaluator(snapshot(new int[] {3, 4, 299, 299}), 5);
        RankingMetrics metrics = worst.test(TeacherEvaluatorTest::descending);
        assertThat(metrics.sampledHr10()).isZero();
        assertThat(metrics.hr20()).isZero();
    }

    @Test
    void sampledNegativesAreSeeded() {
        // target 15 loses only to items 0..14, so its sampled rank depends on how many of those are drawn
        int[][] sequences = IntStream.range(0, 40).mapToObj(u -> new int[] {200 + u, 240 + u, 260 + u, 15}).toArray(int[][]::new);
        double first = new TeacherEvaluator(snapshot(sequences), 3).test(TeacherEvaluatorTest::descending).sampledNdcg10();
        double again = new TeacherEvaluator(snapshot(sequences), 3).test(TeacherEvaluatorTest::descending).sampledNdcg10();
        double otherSeed = new TeacherEvaluator(snapshot(sequences), 4).test(TeacherEvaluatorTest::descending).sampledNdcg10();
        assertThat(again).isEqualTo(first);
        assertThat(first).isStrictlyBetween(0.0, 1.0).isNotEqualTo(otherSeed);
    }
}
