package io.recalign.teacher;

import java.util.List;

/**
 * What the rest of the system asks of the collaborative-filtering teacher of one dataset. Items are the
 * dense indices of {@link io.recalign.catalog.CatalogSnapshot}. Implementations are thread-safe and run
 * with gradient recording off.
 */
public interface Teacher {

    /** Dataset this teacher was trained on. */
    String dataset();

    /** The best items for each query, best first; fewer than k only when fewer items qualify. */
    List<int[]> topK(List<TopKQuery> queries);

    default int[] topK(TopKQuery query) {
        return topK(List.of(query)).get(0);
    }

    /**
     * For each query, the 1-based rank of each given item among all items for that history
     * (history items masked, so they rank after every unmasked item).
     */
    List<int[]> rank(List<RankQuery> queries);

    default int[] rank(int[] history, int[] items) {
        return rank(List.of(new RankQuery(history, items))).get(0);
    }

    record RankQuery(int[] history, int[] items) {
    }
}
