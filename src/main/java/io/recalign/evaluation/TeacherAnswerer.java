package io.recalign.evaluation;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.tasks.AnswerFormat;
import io.recalign.teacher.CategoryConstraint;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TopKQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The teacher answering test prompts with its constrained top-K: SeqRec and ItemCount its top-N; +C its
 * top-N IN C; -C its top-N NOT IN C; a share task its top-k IN C plus its top-(N-k) NOT IN C, merged in
 * the teacher's own rank order. Answers are written as numbered title lists, like a model's.
 */
final class TeacherAnswerer implements Answerer {

    static final int BATCH = 256;

    private final Teacher teacher;
    private final CatalogSnapshot snapshot;

    TeacherAnswerer(Teacher teacher, CatalogSnapshot snapshot) {
        this.teacher = teacher;
        this.snapshot = snapshot;
    }

    @Override
    public int batchSize() {
        return BATCH;
    }

    @Override
    public List<String> answer(List<TestCase> cases) {
        List<TopKQuery> queries = new ArrayList<>();
        int[] first = new int[cases.size() + 1];
        for (int i = 0; i < cases.size(); i++) {
            first[i] = queries.size();
            queries.addAll(queries(cases.get(i)));
        }
        first[cases.size()] = queries.size();
        List<int[]> answers = queries.isEmpty() ? List.of() : teacher.topK(queries);
        List<int[]> lists = new ArrayList<>(cases.size());
        List<Teacher.RankQuery> rankQueries = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            int[] joined = answers.subList(first[i], first[i + 1]).stream().flatMapToInt(Arrays::stream).toArray();
            lists.add(joined);
            if (first[i + 1] - first[i] > 1) {
                rankQueries.add(new Teacher.RankQuery(cases.get(i).history(), joined));
            }
        }
        List<int[]> ranks = rankQueries.isEmpty() ? List.of() : teacher.rank(rankQueries);
        List<String> texts = new ArrayList<>(cases.size());
        int ranked = 0;
        for (int i = 0; i < cases.size(); i++) {
            int[] items = lists.get(i);
            if (first[i + 1] - first[i] > 1) {
                items = inRankOrder(items, ranks.get(ranked++));
            }
            texts.add(AnswerFormat.format(Arrays.stream(items).mapToObj(item -> snapshot.items().get(item).title()).toList()));
        }
        return texts;
    }

    private static List<TopKQuery> queries(TestCase testCase) {
        int[] history = testCase.history();
        int count = testCase.count();
        int category = testCase.category();
        return switch (testCase.task()) {
            case SEQ_REC, ITEM_COUNT -> List.of(TopKQuery.of(history, count));
            case CONTROL_IN -> List.of(TopKQuery.of(history, count, CategoryConstraint.in(category)));
            case CONTROL_OUT -> List.of(TopKQuery.of(history, count, CategoryConstraint.notIn(category)));
            case RATE_AT_MOST, RATE_AT_LEAST, RATE_ABOUT -> {
                List<TopKQuery> parts = new ArrayList<>(2);
                if (testCase.rateK() > 0) {
                    parts.add(TopKQuery.of(history, testCase.rateK(), CategoryConstraint.in(category)));
                }
                if (count - testCase.rateK() > 0) {
                    parts.add(TopKQuery.of(history, count - testCase.rateK(), CategoryConstraint.notIn(category)));
                }
                yield parts;
            }
            default -> throw new IllegalArgumentException("no test task " + testCase.task().code());
        };
    }

    private static int[] inRankOrder(int[] items, int[] ranks) {
        return IntStream.range(0, items.length).boxed()
                .sorted(Comparator.comparingInt(i -> ranks[i]))
                .mapToInt(i -> items[i]).toArray();
    }
}
