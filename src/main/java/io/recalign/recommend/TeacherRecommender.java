package io.recalign.recommend;

import io.recalign.tasks.ShareRule;
import io.recalign.teacher.CategoryConstraint;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TopKQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Recommendations from the collaborative-filtering teacher under the same controls, for a dataset without
 * a ready language model: the teacher's top items among the allowed ones; with a category share, its top
 * items in the category (IN) and outside it (NOT_IN), merged by the teacher's ranking and taken best first
 * as long as the share stays reachable.
 */
final class TeacherRecommender {

    private TeacherRecommender() {
    }

    /** Item indices, best first. */
    static List<Integer> recommend(Teacher teacher, ResolvedRequest request) {
        int[] history = request.history();
        int count = request.count();
        int[] allowed = allowedOrAll(request);
        ShareRule share = request.share();
        if (share == null) {
            return boxed(teacher.topK(new TopKQuery(history, count, CategoryConstraint.NONE, null, allowed)));
        }
        List<int[]> sides = teacher.topK(List.of(
                new TopKQuery(history, count, CategoryConstraint.in(share.category()), null, allowed),
                new TopKQuery(history, count, CategoryConstraint.notIn(share.category()), null, allowed)));
        int[] in = sides.get(0);
        int[] out = sides.get(1);
        int[] merged = IntStream.concat(Arrays.stream(in), Arrays.stream(out)).toArray();
        int[] ranks = teacher.rank(history, merged);
        Integer[] order = IntStream.range(0, merged.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> ranks[i]));

        List<Integer> chosen = new ArrayList<>(count);
        int inCategory = 0;
        int availableIn = in.length;
        int availableOut = out.length;
        for (int index : order) {
            if (chosen.size() == count) {
                break;
            }
            boolean isIn = index < in.length;
            int remaining = count - chosen.size();
            if (isIn ? share.mayTakeIn(inCategory, remaining, availableIn, availableOut)
                    : share.mayTakeOut(inCategory, remaining, availableIn, availableOut)) {
                chosen.add(merged[index]);
                inCategory += isIn ? 1 : 0;
            }
            if (isIn) {
                availableIn--;
            } else {
                availableOut--;
            }
        }
        return chosen;
    }

    /** The allowed items as candidates, or null when they are simply the catalog minus the history. */
    private static int[] allowedOrAll(ResolvedRequest request) {
        if (request.candidates() == null && request.include().length == 0 && request.exclude().length == 0) {
            return null;
        }
        BitSet allowed = request.allowed();
        return allowed.stream().toArray();
    }

    private static List<Integer> boxed(int[] items) {
        return Arrays.stream(items).boxed().toList();
    }
}
