package io.recalign.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recalign.catalog.CatalogSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SasRecTeacherTest {

    private final CatalogSnapshot snapshot = SyntheticTeacher.snapshot();
    private final SasRecTeacher teacher = SyntheticTeacher.teacher();

    private List<int[]> histories() {
        return snapshot.users().stream().limit(40).map(CatalogSnapshot.UserSequence::testHistory).toList();
    }

    private boolean inCategory(int item, int category) {
        return Arrays.stream(snapshot.items().get(item).categories()).anyMatch(c -> c == category);
    }

    private static List<Integer> list(int[] items) {
        return Arrays.stream(items).boxed().toList();
    }

    private static Set<Integer> set(int[] items) {
        return Arrays.stream(items).boxed().collect(Collectors.toSet());
    }

    @Test
    void neverRecommendsTheHistory() {
        for (int[] history : histories()) {
            int[] answer = teacher.topK(TopKQuery.of(history, 20));
            assertThat(answer).hasSize(20).doesNotHaveDuplicates();
            assertThat(set(answer)).doesNotContainAnyElementsOf(set(history));
        }
    }

    @Test
    void inConstraintKeepsOnlyItemsOfTheCategories() {
        for (int[] history : histories()) {
            int[] answer = teacher.topK(TopKQuery.of(history, 10, CategoryConstraint.in(2)));
            long qualifying = java.util.stream.IntStream.range(0, snapshot.items().size())
                    .filter(item -> inCategory(item, 2) && !set(history).contains(item)).count();
            assertThat(answer).hasSize((int) Math.min(10, qualifying));
            assertThat(list(answer)).allMatch(item -> inCategory(item, 2));
            int[] either = teacher.topK(TopKQuery.of(history, 10, CategoryConstraint.in(0, 3)));
            assertThat(list(either)).allMatch(item -> inCategory(item, 0) || inCategory(item, 3));
        }
    }

    @Test
    void notInConstraintDropsEveryItemOfTheCategories() {
        for (int[] history : histories()) {
            int[] answer = teacher.topK(TopKQuery.of(history, 10, CategoryConstraint.notIn(1, 4)));
            assertThat(answer).hasSize(10);
            assertThat(list(answer)).noneMatch(item -> inCategory(item, 1) || inCategory(item, 4));
        }
    }

    @Test
    void constrainedAnswerIsTheUnconstrainedRankingFiltered() {
        int[] history = histories().get(0);
        int[] all = teacher.topK(TopKQuery.of(history, snapshot.items().size()));
        int[] expected = Arrays.stream(all).filter(item -> inCategory(item, 2)).limit(10).toArray();
        assertThat(teacher.topK(TopKQuery.of(history, 10, CategoryConstraint.in(2)))).containsExactly(expected);
    }

    @Test
    void respectsExclusionsAndCandidates() {
        int[] history = histories().get(1);
        int[] plain = teacher.topK(TopKQuery.of(history, 10));
        int[] excluded = Arrays.copyOf(plain, 3);
        int[] answer = teacher.topK(new TopKQuery(history, 10, null, excluded, null));
        assertThat(set(answer)).doesNotContainAnyElementsOf(set(excluded));
        assertThat(answer).startsWith(Arrays.copyOfRange(plain, 3, 10));

        int[] candidates = {history[0], 5, 17, 33, 48, 90, plain[9]};
        int[] restricted = teacher.topK(new TopKQuery(history, 10, null, new int[] {48}, candidates));
        Set<Integer> allowed = set(candidates);
        allowed.remove(48);
        allowed.removeAll(set(history));
        assertThat(set(restricted)).isEqualTo(allowed);   // fewer than k: only these qualify
    }

    @Test
    void answersFewerWhenFewerItemsQualify() {
        int[] history = histories().get(2);
        CatalogSnapshot.Item any = snapshot.items().get(0);
        int[] none = teacher.topK(new TopKQuery(history, 5, CategoryConstraint.in(any.categories()), null, new int[0]));
        assertThat(none).isEmpty();
    }

    @Test
    void rankAgreesWithTopK() {
        for (int[] history : histories()) {
            int[] top = teacher.topK(TopKQuery.of(history, 15));
            int[] ranks = teacher.rank(history, top);
            for (int i = 0; i < top.length; i++) {
                assertThat(ranks[i]).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void historyItemsRankAfterEveryOtherItem() {
        int[] history = histories().get(3);
        int unmasked = snapshot.items().size() - set(history).size();
        int[] ranks = teacher.rank(history, new int[] {history[0], history[history.length - 1]});
        assertThat(list(ranks)).allMatch(rank -> rank > unmasked && rank <= snapshot.items().size());
    }

    @Test
    void batchedAnswersEqualSingleAnswers() {
        List<TopKQuery> queries = new ArrayList<>();
        for (int[] history : histories()) {
            queries.add(TopKQuery.of(history, 7, CategoryConstraint.notIn(0)));
            queries.add(TopKQuery.of(history, 3));
        }
        List<int[]> batched = teacher.topK(queries);
        for (int i = 0; i < queries.size(); i += 9) {
            assertThat(batched.get(i)).containsExactly(teacher.topK(queries.get(i)));
        }
        List<Teacher.RankQuery> rankQueries = histories().stream().map(h -> new Teacher.RankQuery(h, new int[] {1, 2, 3})).toList();
        List<int[]> ranks = teacher.rank(rankQueries);
        assertThat(ranks.get(5)).containsExactly(teacher.rank(rankQueries.get(5).history(), new int[] {1, 2, 3}));
    }

    @Test
    void concurrentCallersGetTheSameAnswers() throws Exception {
        List<TopKQuery> queries = histories().stream().map(h -> TopKQuery.of(h, 10, CategoryConstraint.in(1))).toList();
        List<int[]> expected = teacher.topK(queries);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<int[]>>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> teacher.topK(queries)));
            }
            for (Future<List<int[]>> future : futures) {
                List<int[]> answers = future.get();
                for (int q = 0; q < queries.size(); q++) {
                    assertThat(answers.get(q)).containsExactly(expected.get(q));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keepsNoNativeMemoryAfterACall() {
        int before = teacher.model().manager().getManagedArrays().size();
        teacher.topK(TopKQuery.of(histories().get(0), 10, CategoryConstraint.in(2)));
        teacher.rank(histories().get(0), new int[] {4, 5});
        assertThat(teacher.model().manager().getManagedArrays()).hasSize(before);
    }

    @Test
    void rejectsUnknownItemsAndCategories() {
        int items = snapshot.items().size();
        assertThatThrownBy(() -> teacher.topK(TopKQuery.of(new int[] {items}, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("history item " + items);
        assertThatThrownBy(() -> teacher.topK(TopKQuery.of(new int[] {1}, 5, CategoryConstraint.in(99))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("category 99");
        assertThatThrownBy(() -> teacher.rank(new int[] {1}, new int[] {-1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("items item -1");
    }
}
