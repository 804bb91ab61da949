package io.recalign.recommend;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.tasks.ShareRule;
import java.util.BitSet;

/**
 * A validated request in the catalog's dense indices, with its prompt.
 *
 * @param history    every history item, oldest first (the user's stored ones, then the request's)
 * @param include    category indices (empty: any)
 * @param exclude    category indices
 * @param share      the category share, or null
 * @param candidates item indices to choose from, or null for the whole catalog
 * @param prompt     the prompt in the trained wording
 * @param allowed    item indices the answer may hold (catalog or candidates, minus history, include/exclude applied)
 */
record ResolvedRequest(CatalogSnapshot snapshot, int[] history, int count, int[] include, int[] exclude,
                       ShareRule share, int[] candidates, Decoding decoding, String prompt, BitSet allowed) {

    String dataset() {
        return snapshot.dataset();
    }
}
