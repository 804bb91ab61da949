package io.recalign.tasks;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TopKQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A deterministic teacher for tests: items are ordered by a fixed random permutation, rotated by the last
 * history item so that different histories get different lists. Honours the whole TopKQuery contract
 * (history and exclusions masked, category constraint, candidate restriction).
 */
final class FakeTeacher implements Teacher {

    private final CatalogSnapshot snapshot;
    /** Items best first for an empty history. */
    private final int[] byRank;
    private int topKCalls;

    FakeTeacher(CatalogSnapshot snapshot, long seed) {
        this.snapshot = snapshot;
        List<Integer> order = new ArrayList<>(IntStream.range(0, snapshot.items().size()).boxed().toList());
        java.util.Collections.shuffle(order, new Random(seed));
        this.byRank = order.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String dataset() {
        return snapshot.dataset();
    }

    int topKCalls() {
        return topKCalls;
    }

    @Override
    public synchronized List<int[]> topK(List<TopKQuery> queries) {
        topKCalls++;
        List<int[]> answers = new ArrayList<>(queries.size());
        for (TopKQuery query : queries) {
            answers.add(ordered(query.history())
                    .filter(item -> !contains(query.history(), item) && !contains(query.exclude(), item))
                    .filter(item -> query.candidates() == null || contains(query.candidates(), item))
                    .filter(item -> query.constraint().allows(snapshot.items().get(item).categories()))
                    .limit(query.k())
                    .toArray());
        }
        return answers;
    }

    @Override
    public List<int[]> rank(List<RankQuery> queries) {
        List<int[]> answers = new ArrayList<>(queries.size());
        for (RankQuery query : queries) {
            int[] order = IntStream.concat(
                    ordered(query.history()).filter(item -> !contains(query.history(), item)),
                    ordered(query.history()).filter(item -> contains(query.history(), item))).toArray();
            int[] rankOf = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                rankOf[order[i]] = i + 1;
            }
            answers.add(Arrays.stream(query.items()).map(item -> rankOf[item]).toArray());
        }
        return answers;
    }

    /** All items, best first, for this history: the fixed order rotated by an amount set by its last item. */
    private IntStream ordered(int[] history) {
        int items = byRank.length;
        int rotation = history.length == 0 ? 0 : (history[history.length - 1] * 7) % items;
        return IntStream.range(0, items).map(rank -> byRank[(rank + rotation) % items]);
    }

    private static boolean contains(int[] items, int item) {
        for (int own : items) {
            if (own == item) {
                return true;
            }
        }
        return false;
    }
}
