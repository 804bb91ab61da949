package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.tasks.ExampleParameters;
import io.recalign.tasks.Polarity;
import io.recalign.tasks.TaskFamily;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TopKQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class RewardTest {

    private static final double EPS = 1e-9;
    private static final double LOG2_3 = Math.log(3) / Math.log(2);
    private static final double LOG2_5 = Math.log(5) / Math.log(2);
    /** IDCG of three items: 1 + 1/log2(3)² + 1/log2(4)². */
    private static final double IDCG_3 = 1 + 1 / (LOG2_3 * LOG2_3) + 0.25;
    private static final double IDCG_3_CONTROL = 1 + (0.5 / LOG2_3 + 0.5) / LOG2_3 + (0.25 + 0.5) / 2;
    /** Items 0..4 are in C. */
    private static final IntPredicate IN_C = item -> item < 5;

    private static ExampleParameters parameters(int count, int category, Polarity polarity, int rateK) {
        return new ExampleParameters("u1", List.of(10, 11), 3, count, category, polarity, rateK, List.of(), List.of());
    }

    private static Reward.Score score(TaskFamily task, ExampleParameters parameters, int[] items, int[] ranks) {
        return Reward.score(task, parameters, items, ranks, IN_C, 5, false);
    }

    @Test
    void idcgIsTheDiscountedSumOfTheBestList() {
        assertThat(Reward.idcg(1, false)).isCloseTo(1, within(EPS));
        assertThat(Reward.idcg(3, false)).isCloseTo(IDCG_3, within(EPS));
        // a ±C item's score blends its rank score half and half with a control score of 1
        assertThat(Reward.idcg(3, true)).isCloseTo(IDCG_3_CONTROL, within(EPS));
    }

    @Test
    void seqRecRanksTargetsAndPenalisesRepeatsAndItemsBeyondN() {
        // N = 3, target 3: item 5 (teacher rank 1 from 0), the target, item 5 again, then a fourth title
        Reward.Score score = score(TaskFamily.SEQ_REC, parameters(3, -1, null, -1),
                new int[] {5, 3, 5, 12}, new int[] {1, 7, 1, 0});

        assertThat(score.itemRewards()).containsExactly(new double[] {0.5, 1, -1, -1}, within(EPS));
        assertThat(score.penalised()).isEqualTo(2);
        double discounted = 0.5 / 1 + 1 / LOG2_3 - 1 - 1;
        assertThat(score.itemTerm()).isCloseTo(discounted / IDCG_3, within(EPS));
        assertThat(score.listScore()).isCloseTo(1 / LOG2_3, within(EPS));
        assertThat(score.total()).isCloseTo(10 * (0.5 * discounted / IDCG_3 + 0.5 / LOG2_3), within(EPS));
        assertThat(score.controlTerm()).isZero();
    }

    @Test
    void theShortfallPenaltyChargesEachEmptyPositionBelowNOnlyWhenAskedFor() {
        // N = 3, one title (the target): the method leaves the two empty positions free
        ExampleParameters parameters = parameters(3, -1, null, -1);
        int[] items = {3};
        int[] ranks = {7};
        Reward.Score method = score(TaskFamily.SEQ_REC, parameters, items, ranks);
        Reward.Score shortfall = Reward.score(TaskFamily.SEQ_REC, parameters, items, ranks, IN_C, 5, true);

        assertThat(method.penalised()).isZero();
        assertThat(method.itemTerm()).isCloseTo(1 / IDCG_3, within(EPS));
        assertThat(shortfall.penalised()).isEqualTo(2);
        assertThat(shortfall.itemTerm()).isCloseTo((1 - 2) / IDCG_3, within(EPS));
        assertThat(shortfall.listScore()).isEqualTo(method.listScore());
        assertThat(shortfall.itemRewards()).containsExactly(method.itemRewards());
        // a full list owes nothing either way
        Reward.Score full = Reward.score(TaskFamily.SEQ_REC, parameters, new int[] {3, 5, 6}, new int[] {7, 0, 1},
                IN_C, 5, true);
        assertThat(full.penalised()).isZero();
    }

    @Test
    void theBestSeqRecListEarnsTen() {
        // the target first, then the teacher's items of rank 0 and 1: each scores 1/log2(i + 2) at position i
        Reward.Score score = score(TaskFamily.SEQ_REC, parameters(3, -1, null, -1),
                new int[] {3, 20, 21}, new int[] {5, 0, 1});

        assertThat(score.itemTerm()).isCloseTo(1, within(EPS));
        assertThat(score.listScore()).isCloseTo(1, within(EPS));
        assertThat(score.total()).isCloseTo(10, within(EPS));
    }

    @Test
    void theBestPlusCListEarnsTen() {
        // target 3 and the teacher's items of rank 0 and 1, all in C: rank and control scores are all 1
        Reward.Score score = score(TaskFamily.CONTROL_IN, parameters(3, 0, Polarity.POSITIVE, -1),
                new int[] {3, 1, 2}, new int[] {5, 0, 1});

        assertThat(score.itemTerm()).isCloseTo(1, within(EPS));
        assertThat(score.total()).isCloseTo(10, within(EPS));
    }

    @Test
    void unknownTitlesAndHistoryItemsArePenalised() {
        // a title that names nothing, a history item, then item 30 with teacher rank 5
        Reward.Score score = score(TaskFamily.SEQ_REC, parameters(3, -1, null, -1),
                new int[] {-1, 10, 30}, new int[] {-1, 0, 5});

        assertThat(score.itemRewards()).containsExactly(new double[] {-1, -1, 1 / 3.0}, within(EPS));
        double discounted = -1 - 1 + (1 / 3.0) / 2;
        assertThat(score.itemTerm()).isCloseTo(discounted / IDCG_3, within(EPS));
        assertThat(score.listScore()).isZero();
    }

    @Test
    void theTargetCountsForSeqRecOnlyWithinTheFirstN() {
        Reward.Score score = score(TaskFamily.SEQ_REC, parameters(2, -1, null, -1),
                new int[] {20, 21, 3}, new int[] {0, 1, 2});

        assertThat(score.listScore()).isZero();
        assertThat(score.itemRewards()[2]).isEqualTo(-1);
    }

    @Test
    void plusCBlendsRankAndControlPerItemAndCountsItemsInC() {
        // N = 4, |C| = 5: in C (rank 1), outside (rank 0), in C (rank 2), in C but in the history
        Reward.Score score = score(TaskFamily.CONTROL_IN, parameters(4, 0, Polarity.POSITIVE, -1),
                new int[] {1, 7, 2, 10}, new int[] {1, 0, 2, 3});

        double rank1 = 0.5;
        double rank0 = 1 / LOG2_3;
        double rank2 = 1 / (Math.log(5) / Math.log(2));
        assertThat(score.itemRewards()).containsExactly(
                new double[] {0.5 * rank1 + 0.5, 0.5 * rank0, 0.5 * rank2 + 0.5, -1}, within(EPS));
        // the blended item scores are what the list's discounted sum adds up; the history item is penalised
        double discounted = 0.5 * rank1 + 0.5 + 0.5 * rank0 / LOG2_3 + (0.5 * rank2 + 0.5) / 2 - 1;
        double idcg4 = IDCG_3_CONTROL + (0.5 / (LOG2_5 * LOG2_5) + 0.5 / LOG2_5);
        assertThat(score.itemTerm()).isCloseTo(discounted / idcg4, within(EPS));
        // of which the control scores: half of 1 for each item of C, at its discount
        assertThat(score.controlTerm()).isCloseTo((0.5 + 0.5 / 2) / idcg4, within(EPS));
        assertThat(score.listScore()).isCloseTo(1 / 3.0, within(EPS));  // 1/(min(4, 5) - 2 + 1)
    }

    @Test
    void plusCAsksForNoMoreItemsOfCThanTheCatalogHas() {
        // |C| = 2 < N = 4: two items of C already satisfy the control
        Reward.Score score = Reward.score(TaskFamily.CONTROL_IN, parameters(4, 0, Polarity.POSITIVE, -1),
                new int[] {1, 2, 7, 8}, new int[] {0, 1, 2, 3}, IN_C, 2, false);

        assertThat(score.listScore()).isCloseTo(1, within(EPS));
    }

    @Test
    void minusCRewardsItemsOutsideC() {
        // N = 3: one item of C, two outside
        Reward.Score score = score(TaskFamily.CONTROL_OUT, parameters(3, 0, Polarity.NEGATIVE, -1),
                new int[] {1, 7, 8}, new int[] {1, 1, 1});

        assertThat(score.itemRewards()).containsExactly(new double[] {0.25, 0.75, 0.75}, within(EPS));
        assertThat(score.listScore()).isCloseTo(0.5, within(EPS));  // 1/(3 - 2 + 1)
        // the same items with the one in C last: the discount weighs the item that breaks the control least
        Reward.Score later = score(TaskFamily.CONTROL_OUT, parameters(3, 0, Polarity.NEGATIVE, -1),
                new int[] {7, 8, 1}, new int[] {1, 1, 1});
        assertThat(score.itemTerm()).isCloseTo((0.25 + 0.75 / LOG2_3 + 0.75 / 2) / IDCG_3_CONTROL, within(EPS));
        assertThat(later.itemTerm()).isCloseTo((0.75 + 0.75 / LOG2_3 + 0.25 / 2) / IDCG_3_CONTROL, within(EPS));
        assertThat(later.total()).isGreaterThan(score.total());
        assertThat(score.controlTerm()).isCloseTo((0.5 / LOG2_3 + 0.5 / 2) / IDCG_3_CONTROL, within(EPS));
    }

    @Test
    void categoryShareTasksScoreOneWhenTheRuleHoldsAndShrinkWithTheDistanceToK() {
        int[] ranks = {0, 1, 2, 3};
        int[] twoInC = {1, 2, 7, 8};
        // at most 1 of C: two is one too many
        assertThat(score(TaskFamily.RATE_AT_MOST, parameters(4, 0, null, 1), twoInC, ranks).listScore())
                .isCloseTo(0.5, within(EPS));
        assertThat(score(TaskFamily.RATE_AT_MOST, parameters(4, 0, null, 2), twoInC, ranks).listScore()).isEqualTo(1);
        // at least 3 of C
        assertThat(score(TaskFamily.RATE_AT_LEAST, parameters(4, 0, null, 3), twoInC, ranks).listScore())
                .isCloseTo(0.5, within(EPS));
        assertThat(score(TaskFamily.RATE_AT_LEAST, parameters(4, 0, null, 1), twoInC, ranks).listScore()).isEqualTo(1);
        // about k: within one of k holds, farther shrinks
        assertThat(score(TaskFamily.RATE_ABOUT, parameters(4, 0, null, 3), twoInC, ranks).listScore()).isEqualTo(1);
        assertThat(score(TaskFamily.RATE_ABOUT, parameters(4, 0, null, 4), twoInC, ranks).listScore())
                .isCloseTo(1 / 3.0, within(EPS));
        // a repeated item of C counts once
        assertThat(score(TaskFamily.RATE_AT_LEAST, parameters(4, 0, null, 2), new int[] {1, 1, 7, 8}, ranks)
                .listScore()).isCloseTo(0.5, within(EPS));
        // judged as the test judges it: a seen item of C counts, though the item level penalises it
        ExampleParameters atMostOne = parameters(4, 0, null, 1);
        Reward.Score seen = Reward.score(TaskFamily.RATE_AT_MOST, atMostOne, new int[] {1, 10, 7, 8}, ranks,
                item -> item < 5 || item == 10, 6, false);
        assertThat(seen.listScore()).isCloseTo(0.5, within(EPS));
        assertThat(seen.itemRewards()[1]).isEqualTo(Reward.PENALTY);
        // a title that names no item counts against an at-most limit, and not towards an at-least one
        assertThat(score(TaskFamily.RATE_AT_MOST, atMostOne, new int[] {1, -1, 7, 8}, ranks).listScore())
                .isCloseTo(0.5, within(EPS));
        assertThat(score(TaskFamily.RATE_AT_LEAST, parameters(4, 0, null, 2), new int[] {1, -1, 7, 8}, ranks)
                .listScore()).isCloseTo(0.5, within(EPS));
        // titles beyond N are not judged
        assertThat(score(TaskFamily.RATE_AT_MOST, parameters(3, 0, null, 1), new int[] {1, 7, 8, 2}, ranks)
                .listScore()).isEqualTo(1);
        // rate tasks score items by rank only
        assertThat(score(TaskFamily.RATE_ABOUT, parameters(4, 0, null, 2), twoInC, ranks).itemRewards()[0])
                .isCloseTo(1 / LOG2_3, within(EPS));
    }

    @Test
    void itemCountScoresTheDistanceBetweenTitlesAndN() {
        ExampleParameters three = parameters(3, -1, null, -1);
        assertThat(score(TaskFamily.ITEM_COUNT, three, new int[] {20, 21, 22}, new int[] {0, 1, 2}).listScore())
                .isEqualTo(1);
        assertThat(score(TaskFamily.ITEM_COUNT, three, new int[] {20, 21, 22, 23, -1}, new int[] {0, 1, 2, 3, -1})
                .listScore()).isCloseTo(1 / 3.0, within(EPS));
        assertThat(score(TaskFamily.ITEM_COUNT, three, new int[] {20}, new int[] {0}).listScore())
                .isCloseTo(1 / 3.0, within(EPS));
        assertThat(score(TaskFamily.ITEM_COUNT, three, new int[0], new int[0]).listScore()).isCloseTo(0.25, within(EPS));
    }

    @Test
    void tasksWithoutAnRlRewardAreRefused() {
        assertThatThrownBy(() -> score(TaskFamily.CATEGORY_QUERY, parameters(1, -1, null, -1), new int[0], new int[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("category-query");
    }

    @Test
    void scoringTextGroundsTitlesAndAsksTheTeacherForRanksOnce() {
        CatalogSnapshot snapshot = catalog();
        RecordingTeacher teacher = new RecordingTeacher(snapshot.dataset());
        Reward reward = new Reward(snapshot, teacher, false);
        ExampleParameters plusC = new ExampleParameters("u1", List.of(0), 1, 3, 0, Polarity.POSITIVE, -1,
                List.of(), List.of());
        // "Film Twoo" is one edit from "Film Two" (item 2); "Nothing at all" names no item
        List<Reward.Score> scores = reward.score(List.of(
                new Reward.Answer(TaskFamily.CONTROL_IN, plusC, "1. Film One\n2. Film Twoo\n3. Nothing at all"),
                new Reward.Answer(TaskFamily.SEQ_REC, plusC, "1. Film Three</s>junk")));

        assertThat(teacher.calls).isEqualTo(1);
        assertThat(teacher.queries).hasSize(2);
        assertThat(teacher.queries.get(0).history()).containsExactly(0);
        assertThat(teacher.queries.get(0).items()).containsExactly(1, 2);
        assertThat(teacher.queries.get(1).items()).containsExactly(3);
        Reward.Score first = scores.get(0);
        assertThat(first.items()).containsExactly(1, 2, -1);
        // item 1 is the target (1), item 2 has teacher rank 3, so 2 from 0: 1/log2(5); both in C
        double rank2 = 1 / (Math.log(5) / Math.log(2));
        assertThat(first.itemRewards()).containsExactly(new double[] {1, 0.5 * rank2 + 0.5, -1}, within(EPS));
        assertThat(first.listScore()).isCloseTo(1, within(EPS));  // |C| = 2 and both are there: 1/(min(3, 2) - 2 + 1)
        Reward.Score second = scores.get(1);
        assertThat(second.items()).containsExactly(3);
        assertThat(second.itemRewards()).containsExactly(new double[] {1 / (Math.log(6) / Math.log(2))}, within(EPS));
    }

    @Test
    void aTeacherOfAnotherDatasetIsRefused() {
        assertThatThrownBy(() -> new Reward(catalog(), new RecordingTeacher("other"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other");
    }

    @Test
    void fineGrainedRewardsLandOnTheLastTokenOfEachTitleLine() {
        // ids: 0 "1", 1 ".", 2 "Film A", 3 line break, 4 "2", 5 "Film B", 6 end of sequence (decodes to nothing)
        Map<Integer, String> vocabulary = Map.of(0, "1", 1, ".", 2, "Film A", 3, "\n", 4, "2", 5, "Film B", 6, "");
        Reward.Score score = new Reward.Score(new int[] {0, 1}, new double[] {0.5, -1}, 0.3, 0, 0.7, 1, 5.0);
        int[] tokens = {0, 1, 2, 3, 4, 1, 5, 6};

        float[] fine = Reward.tokenRewards(score, tokens, ids -> decode(vocabulary, ids), true);
        float[] coarse = Reward.tokenRewards(score, tokens, ids -> decode(vocabulary, ids), false);

        assertThat(fine).containsExactly(new float[] {0, 0, 0, 0.5f, 0, 0, 0, 4.0f}, within(1e-6f));
        assertThat(coarse).containsExactly(new float[] {0, 0, 0, 0, 0, 0, 0, 5.0f}, within(1e-6f));
    }

    @Test
    void fineGrainedRewardsSkipLinesWithoutATitle() {
        // an empty numbered line "1 ." carries nothing; the title on the next line takes the first reward
        Map<Integer, String> vocabulary = Map.of(0, "1", 1, ".", 2, "Film A", 3, "\n", 4, "2");
        Reward.Score score = new Reward.Score(new int[] {0}, new double[] {0.25}, 0, 0, 0, 0, 1.0);

        float[] rewards = Reward.tokenRewards(score, new int[] {0, 1, 3, 4, 1, 2}, ids -> decode(vocabulary, ids), true);

        assertThat(rewards).containsExactly(new float[] {0, 0, 0, 0, 0, 1.25f}, within(1e-6f));
    }

    private static String decode(Map<Integer, String> vocabulary, int[] ids) {
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            String piece = vocabulary.get(id);
            if (!piece.isEmpty()) {
                text.append(text.isEmpty() ? "" : " ").append(piece);
            }
        }
        return text.toString();
    }

    /** Items 0..3, "Film Zero" .. "Film Three"; items 1 and 2 in category 0. */
    private static CatalogSnapshot catalog() {
        List<CatalogSnapshot.Item> items = List.of(
                new CatalogSnapshot.Item("m0", "Film Zero", new int[] {1}),
                new CatalogSnapshot.Item("m1", "Film One", new int[] {0}),
                new CatalogSnapshot.Item("m2", "Film Two", new int[] {0, 1}),
                new CatalogSnapshot.Item("m3", "Film Three", new int[0]));
        return new CatalogSnapshot("tiny", items, List.of("Drama", "Comedy"),
                List.of(new CatalogSnapshot.UserSequence("u1", new int[] {0, 1, 2, 3})));
    }

    /** Ranks item i at i + 1 (counted from 1) and records what it was asked. */
    private static final class RecordingTeacher implements Teacher {
        private final String dataset;
        final List<RankQuery> queries = new ArrayList<>();
        int calls;

        RecordingTeacher(String dataset) {
            this.dataset = dataset;
        }

        @Override
        public String dataset() {
            return dataset;
        }

        @Override
        public List<int[]> topK(List<TopKQuery> topKQueries) {
            throw new UnsupportedOperationException("the reward only ranks");
        }

        @Override
        public List<int[]> rank(List<RankQuery> rankQueries) {
            calls++;
            queries.addAll(rankQueries);
            return rankQueries.stream().map(query -> Arrays.stream(query.items()).map(item -> item + 1).toArray()).toList();
        }
    }
}
