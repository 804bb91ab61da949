package io.recalign.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recalign.evaluation.Metrics.Control;
import io.recalign.evaluation.Metrics.ListScore;
import io.recalign.tasks.AnswerFormat;
import io.recalign.tasks.RateKind;
import io.recalign.tasks.TitleIndex;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** Each metric of method.md §6 on hand-made answers. */
class MetricsTest {

    // items:                                      0         1        2        3         4          5
    private final TitleIndex index = new TitleIndex(List.of("Alien", "Heat (1995)", "Jaws", "Fargo", "Rocky", "Se7en"));
    private final int[] history = {4, 5};
    /** C = {Alien, Jaws, Fargo}. */
    private final IntPredicate inC = item -> Set.of(0, 2, 3).contains(item);

    private ListScore score(String answer, int target, int count, Control control) {
        return Metrics.score(AnswerFormat.parse(answer), index, target, history, count, control);
    }

    @Test
    void recallAndNdcgLookAtTheTargetsRankWithinTheFirstN() {
        ListScore third = score("1. Heat (1995)\n2. Jaws\n3. Alien", 0, 3, null);
        assertThat(third.recall()).isEqualTo(1);
        assertThat(third.ndcg()).isCloseTo(0.5, within(1e-12)); // 1 / log2(2 + 2)

        ListScore first = score("1. Alien\n2. Jaws", 0, 2, null);
        assertThat(first.ndcg()).isEqualTo(1);

        ListScore second = score("1. Jaws\n2. Alien", 0, 2, null);
        assertThat(second.ndcg()).isCloseTo(1 / (Math.log(3) / Math.log(2)), within(1e-12));
    }

    @Test
    void answersAreTruncatedToNButCorrectCountSeesTheWholeList() {
        ListScore tooLong = score("1. Heat (1995)\n2. Jaws\n3. Fargo\n4. Alien", 0, 3, null);
        assertThat(tooLong.recall()).as("the target comes after the first N").isZero();
        assertThat(tooLong.ndcg()).isZero();
        assertThat(tooLong.exactCount()).isFalse();

        ListScore beyondN = score("1. Heat (1995)\n2. Jaws\n3. Nonsense Title Here\n4. Rocky\n5. Rocky", 0, 2, null);
        assertThat(beyondN.nonExistent()).as("titles after N are not judged").isZero();
        assertThat(beyondN.repeats()).isZero();
        assertThat(beyondN.inHistory()).isZero();

        assertThat(score("1. Heat (1995)\n2. Jaws\n3. Fargo", 0, 3, null).exactCount()).isTrue();
        assertThat(score("1. Heat (1995)\n2. Jaws", 0, 3, null).exactCount()).isFalse();
        assertThat(score("", 0, 3, null).exactCount()).isFalse();
    }

    @Test
    void titlesMatchExactlyOrWithinThreeEdits() {
        // "Jawz" is one edit from Jaws, "Faargoo" two from Fargo, "Heat (1996)" one from Heat (1995)
        ListScore close = score("1. Jawz\n2. Faargoo\n3. Heat (1996)", 2, 3, null);
        assertThat(close.nonExistent()).isZero();
        assertThat(close.recall()).as("a near title grounds to the target").isEqualTo(1);
        assertThat(close.ndcg()).isEqualTo(1);

        // four edits from every title: no item
        ListScore far = score("1. Jxxxxs\n2. Alien", 2, 2, null);
        assertThat(far.nonExistent()).isEqualTo(1);
        assertThat(far.recall()).isZero();
    }

    @Test
    void nonExistentRepeatedAndHistoryItemsAreCountedPerList() {
        ListScore score = score("1. The Godfather Part Two\n2. Heat (1995)\n3. Haet (1995)\n4. Rocky\n5. Se7en\n"
                + "6. Rocky\n7. Another Made Up Film", 0, 7, null);
        assertThat(score.nonExistent()).isEqualTo(2);
        assertThat(score.repeats()).as("Haet (1995) grounds to Heat again; Rocky twice").isEqualTo(2);
        assertThat(score.inHistory()).as("every mention of a history item").isEqualTo(3);
        assertThat(score.exactCount()).isTrue();
        assertThat(score.inCategory()).as("no control").isEqualTo(-1);
        assertThat(score.rateCorrect()).isEqualTo(-1);
    }

    @Test
    void targetCategoryRateCountsDistinctItemsOfCWithinTheFirstN() {
        Control control = Control.category(inC);
        assertThat(score("1. Alien\n2. Jaws\n3. Heat (1995)\n4. Fargo", 1, 3, control).inCategory()).isEqualTo(2);
        assertThat(score("1. Alien\n2. Alien\n3. Alien", 1, 3, control).inCategory())
                .as("repeating one item of C does not make it more").isEqualTo(1);
        assertThat(score("1. Heat (1995)\n2. Rocky", 1, 2, control).inCategory()).isZero();
        assertThat(score("1. Heat (1995)\n2. Rocky", 1, 2, control).rateCorrect()).as("no share rule").isEqualTo(-1);
    }

    @Test
    void atMostCountsNonExistentTitlesAgainstTheLimit() {
        Control lp = Control.share(inC, RateKind.AT_MOST, 2);
        assertThat(score("1. Alien\n2. Jaws\n3. Heat (1995)", 1, 3, lp).rateCorrect()).isEqualTo(1);
        assertThat(score("1. Alien\n2. Jaws\n3. Fargo", 1, 3, lp).rateCorrect()).isZero();
        assertThat(score("1. Alien\n2. Jaws\n3. Unknown Thing Entirely", 1, 3, lp).rateCorrect())
                .as("2 in C + 1 nonexistent > 2").isZero();
        assertThat(score("1. Alien\n2. Unknown Thing Entirely\n3. Heat (1995)", 1, 3, lp).rateCorrect()).isEqualTo(1);
    }

    @Test
    void atLeastAndAboutRules() {
        Control mp = Control.share(inC, RateKind.AT_LEAST, 2);
        assertThat(score("1. Alien\n2. Jaws\n3. Heat (1995)", 1, 3, mp).rateCorrect()).isEqualTo(1);
        assertThat(score("1. Alien\n2. Jaws\n3. Fargo", 1, 3, mp).rateCorrect()).isEqualTo(1);
        assertThat(score("1. Alien\n2. Rocky\n3. Heat (1995)", 1, 3, mp).rateCorrect()).isZero();
        assertThat(score("1. Alien\n2. Alien\n3. Heat (1995)", 1, 3, mp).rateCorrect())
                .as("a repeated item of C counts once").isZero();

        Control ep = Control.share(inC, RateKind.ABOUT, 2);
        assertThat(score("1. Rocky\n2. Se7en\n3. Heat (1995)", 1, 3, ep).rateCorrect()).as("|0 - 2| > 1").isZero();
        assertThat(score("1. Alien\n2. Se7en\n3. Heat (1995)", 1, 3, ep).rateCorrect()).isEqualTo(1);
        assertThat(score("1. Alien\n2. Jaws\n3. Fargo", 1, 3, ep).rateCorrect()).isEqualTo(1);

        assertThat(Metrics.rateHolds(RateKind.ABOUT, 4, 0, 2)).isFalse();
        assertThat(Metrics.rateHolds(RateKind.ABOUT, 3, 5, 2)).as("about ignores nonexistent titles").isTrue();
        assertThat(Metrics.rateHolds(RateKind.AT_MOST, 0, 3, 2)).isFalse();
        assertThat(Metrics.rateHolds(RateKind.AT_LEAST, 10, 0, 3)).isTrue();
    }

    @Test
    void averagesAreTakenOverLists() {
        MetricAverages averages = new MetricAverages();
        Control lp = Control.share(inC, RateKind.AT_MOST, 1);
        averages.add(score("1. Alien\n2. Nothing Like Any Title", 0, 2, lp)); // hit at 0, 1 nonexistent, 1 in C
        averages.add(score("1. Rocky\n2. Rocky\n3. Jaws", 0, 2, lp));        // miss, 1 repeat, 2 in history
        var metrics = averages.averages();
        assertThat(metrics.keySet()).containsExactlyElementsOf(Metrics.NAMES);
        assertThat(metrics.get(Metrics.RECALL)).isEqualTo(0.5);
        assertThat(metrics.get(Metrics.NDCG)).isEqualTo(0.5);
        assertThat(metrics.get(Metrics.NON_EXIST_RATE)).isEqualTo(0.5);
        assertThat(metrics.get(Metrics.REPEAT_RATE)).isEqualTo(0.5);
        assertThat(metrics.get(Metrics.IN_HISTORY_RATE)).isEqualTo(1.0);
        assertThat(metrics.get(Metrics.CORRECT_COUNT)).isEqualTo(0.5);
        assertThat(metrics.get(Metrics.TARGET_CATEGORY_RATE)).isEqualTo(0.5);
        assertThat(metrics.get(Metrics.CATEGORY_RATE_CORRECT)).as("1 + 1 > 1, then 0 + 0 <= 1").isEqualTo(0.5);

        MetricAverages plain = new MetricAverages();
        plain.add(score("1. Alien", 0, 1, null));
        assertThat(plain.averages()).doesNotContainKeys(Metrics.TARGET_CATEGORY_RATE, Metrics.CATEGORY_RATE_CORRECT);
        assertThat(new MetricAverages().averages()).isEmpty();
    }
}
