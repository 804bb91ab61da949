package io.recalign.tasks;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TopKQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
    private final int[] position;
    private int topKCalls;

    FakeTeacher(CatalogSnapshot snapshot, long seed) {
        this.snapshot = snapshot;
        int items = snapshot.items().size();
        List<Integer> order = new ArrayList<>(IntStream.range(0, items).boxed().toList());
        java.util.Collections.shuffle(order, new Random(seed));
        this.position = new int[items];
        for (int rank = 0; rank < items; rank++) {
            position[order.get(rank)] = rank;
        }
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

    /** All items, best first, for this history. */
    private IntStream ordered(int[] history) {
        int items = position.length;
        int shift = history.length == 0 ? 0 : (history[history.length - 1] * 7) % items;
        return IntStream.range(0, items).boxed()
                .sorted(Comparator.comparingInt(item -> (position[item] + shift) % items))
                .mapToInt(Integer::intValue);
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
