package io.recalign.evaluation;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TopKQuery;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** A predictable teacher for tests: it prefers lower item indices; history and exclusions masked, constraint honoured. */
final class IndexOrderTeacher implements Teacher {

    private final CatalogSnapshot snapshot;

    IndexOrderTeacher(CatalogSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public String dataset() {
        return snapshot.dataset();
    }

    @Override
    public List<int[]> topK(List<TopKQuery> queries) {
        return queries.stream().map(query -> IntStream.range(0, snapshot.items().size())
                .filter(item -> !contains(query.history(), item) && !contains(query.exclude(), item))
                .filter(item -> query.candidates() == null || contains(query.candidates(), item))
                .filter(item -> query.constraint().allows(snapshot.items().get(item).categories()))
                .limit(query.k()).toArray()).toList();
    }

    /** Unmasked items rank by index; history items after all of them. */
    @Override
    public List<int[]> rank(List<RankQuery> queries) {
        int items = snapshot.items().size();
        return queries.stream().map(query -> Arrays.stream(query.items())
                .map(item -> contains(query.history(), item) ? items + item + 1
                        : item + 1 - (int) Arrays.stream(query.history()).distinct().filter(h -> h < item).count())
                .toArray()).toList();
    }

    private static boolean contains(int[] items, int item) {
        return Arrays.stream(items).anyMatch(i -> i == item);
    }
}
