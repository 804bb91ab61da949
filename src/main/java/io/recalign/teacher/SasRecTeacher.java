package io.recalign.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.NoGrad;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link Teacher} of one dataset backed by a trained SASRec model. Each batch of queries is one
 * forward pass giving a (B, V) score matrix; disallowed items (history, exclusions, items outside the
 * category constraint or the candidates) are masked to minus infinity with one dense boolean mask, and
 * top-k runs on the native side. Thread-safe: every call works in its own native memory scope with
 * gradient recording off on the calling thread. Owns the model: closing the teacher closes it.
 */
public final class SasRecTeacher implements Teacher, AutoCloseable {

    /** Queries per forward pass: bounds a call's native memory to about BATCH x items floats. */
    static final int BATCH = 256;

    private final String dataset;
    private final SasRecModel model;
    private final int[][] itemCategories;
    private final int categoryCount;

    private SasRecTeacher(String dataset, SasRecModel model, int[][] itemCategories, int categoryCount) {
        this.dataset = dataset;
        this.model = model;
        this.itemCategories = itemCategories;
        this.categoryCount = categoryCount;
    }

    /** A teacher over the snapshot's items and categories; takes ownership of the model. */
    public static SasRecTeacher of(CatalogSnapshot snapshot, SasRecModel model) {
        if (model.itemCount() != snapshot.items().size()) {
            throw new IllegalArgumentException("model scores " + model.itemCount() + " items but dataset "
                    + snapshot.dataset() + " has " + snapshot.items().size());
        }
        int[][] categories = snapshot.items().stream().map(item -> item.categories().clone()).toArray(int[][]::new);
        return new SasRecTeacher(snapshot.dataset(), model, categories, snapshot.categories().size());
    }

    @Override
    public String dataset() {
        return dataset;
    }

    public SasRecModel model() {
        return model;
    }

    @Override
    public List<int[]> topK(List<TopKQuery> queries) {
        queries.forEach(this::validate);
        List<int[]> answers = new ArrayList<>(queries.size());
        for (int start = 0; start < queries.size(); start += BATCH) {
            List<TopKQuery> batch = queries.subList(start, Math.min(queries.size(), start + BATCH));
            answers.addAll(NoGrad.call(() -> topKBatch(batch)));
        }
        return answers;
    }

    private List<int[]> topKBatch(List<TopKQuery> batch) {
        int items = model.itemCount();
        boolean[] masked = new boolean[batch.size() * items];
        int[] wanted = new int[batch.size()];
        int widest = 0;
        for (int b = 0; b < batch.size(); b++) {
            int allowed = maskDisallowed(batch.get(b), masked, b * items);
            wanted[b] = Math.min(batch.get(b).k(), allowed);
            widest = Math.max(widest, wanted[b]);
        }
        List<int[]> answers = new ArrayList<>(batch.size());
        if (widest == 0) {
            batch.forEach(query -> answers.add(new int[0]));
            return answers;
        }
        long[] best;
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray scores = model.scoreNext(scope, batch.stream().map(TopKQuery::history).toList());  // (B, V)
            NDArray mask = scope.create(masked, new Shape(batch.size(), items));                       // (B, V)
            scores.set(mask, Float.NEGATIVE_INFINITY);
            NDList top = scores.topK(widest, 1, true, true);                                           // 2 x (B, k)
            best = top.get(1).toLongArray();
        }
        for (int b = 0; b < batch.size(); b++) {
            int[] answer = new int[wanted[b]];
            for (int i = 0; i < answer.length; i++) {
                answer[i] = (int) best[b * widest + i];
            }
            answers.add(answer);
        }
        return answers;
    }

    /** Marks the query's disallowed items in masked[offset, offset + V) and returns how many stay allowed. */
    private int maskDisallowed(TopKQuery query, boolean[] masked, int offset) {
        int items = model.itemCount();
        CategoryConstraint constraint = query.constraint();
        if (constraint.mode() != CategoryConstraint.Mode.NONE) {
            boolean[] inSet = new boolean[categoryCount];
            for (int category : constraint.categories()) {
                inSet[category] = true;
            }
            boolean wantIn = constraint.mode() == CategoryConstraint.Mode.IN;
            for (int item = 0; item < items; item++) {
                masked[offset + item] = hasAny(itemCategories[item], inSet) != wantIn;
            }
        }
        if (query.candidates() != null) {
            boolean[] candidate = new boolean[items];
            for (int item : query.candidates()) {
                candidate[item] = true;
            }
            for (int item = 0; item < items; item++) {
                masked[offset + item] |= !candidate[item];
            }
        }
        for (int item : query.history()) {
            masked[offset + item] = true;
        }
        for (int item : query.exclude()) {
            masked[offset + item] = true;
        }
        int allowed = 0;
        for (int item = 0; item < items; item++) {
            allowed += masked[offset + item] ? 0 : 1;
        }
        return allowed;
    }

    private static boolean hasAny(int[] categories, boolean[] inSet) {
        for (int category : categories) {
            if (inSet[category]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<int[]> rank(List<RankQuery> queries) {
        for (RankQuery query : queries) {
            Objects.requireNonNull(query.history(), "history");
            Objects.requireNonNull(query.items(), "items");
            requireItems("history", query.history());
            requireItems("items", query.items());
        }
        List<int[]> ranks = new ArrayList<>(queries.size());
        for (int start = 0; start < queries.size(); start += BATCH) {
            List<RankQuery> batch = queries.subList(start, Math.min(queries.size(), start + BATCH));
            float[] scores = model.scoreNext(batch.stream().map(RankQuery::history).toList());
            for (int b = 0; b < batch.size(); b++) {
                ranks.add(ranks(scores, b * model.itemCount(), batch.get(b)));
            }
        }
        return ranks;
    }

    /**
     * 1-based ranks with the history masked: an unmasked item ranks among the unmasked ones; a history item
     * ranks after all of them, among the history items.
     */
    private int[] ranks(float[] scores, int offset, RankQuery query) {
        int items = model.itemCount();
        boolean[] masked = new boolean[items];
        for (int item : query.history()) {
            masked[item] = true;
        }
        int unmasked = 0;
        for (boolean m : masked) {
            unmasked += m ? 0 : 1;
        }
        int[] ranks = new int[query.items().length];
        for (int i = 0; i < ranks.length; i++) {
            int item = query.items()[i];
            float score = scores[offset + item];
            int above = 0;
            for (int other = 0; other < items; other++) {
                if (masked[other] == masked[item] && scores[offset + other] > score) {
                    above++;
                }
            }
            ranks[i] = (masked[item] ? unmasked : 0) + above + 1;
        }
        return ranks;
    }

    private void validate(TopKQuery query) {
        requireItems("history", query.history());
        requireItems("exclude", query.exclude());
        if (query.candidates() != null) {
            requireItems("candidates", query.candidates());
        }
        for (int category : query.constraint().categories()) {
            if (category < 0 || category >= categoryCount) {
                throw new IllegalArgumentException("category " + category + " is not in dataset " + dataset
                        + " (" + categoryCount + " categories)");
            }
        }
    }

    private void requireItems(String what, int[] items) {
        for (int item : items) {
            if (item < 0 || item >= model.itemCount()) {
                throw new IllegalArgumentException(what + " item " + item + " is not in dataset " + dataset
                        + " (" + model.itemCount() + " items)");
            }
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
