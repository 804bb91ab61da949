package io.recalign.tasks;

import io.recalign.catalog.CatalogSnapshot;
import java.util.BitSet;

/**
 * Which items a request may recommend: the catalog (or the candidates) minus the history, in an included
 * category when include names any, in no excluded category; and whether they can make the list.
 */
public final class Selection {

    private Selection() {
    }

    /** The allowed items as a set of item indices. */
    public static BitSet allowedItems(CatalogSnapshot snapshot, int[] history, int[] include, int[] exclude, int[] candidates) {
        int items = snapshot.items().size();
        BitSet allowed = new BitSet(items);
        if (candidates == null) {
            allowed.set(0, items);
        } else {
            for (int item : candidates) {
                allowed.set(item);
            }
        }
        for (int item : history) {
            allowed.clear(item);
        }
        if (include.length > 0 || exclude.length > 0) {
            for (int item = allowed.nextSetBit(0); item >= 0; item = allowed.nextSetBit(item + 1)) {
                int[] categories = snapshot.items().get(item).categories();
                if ((include.length > 0 && !inAny(categories, include)) || inAny(categories, exclude)) {
                    allowed.clear(item);
                }
            }
        }
        return allowed;
    }

    /** The items of a category, by item index. */
    public static BitSet categoryItems(CatalogSnapshot snapshot, int category) {
        BitSet members = new BitSet(snapshot.items().size());
        for (int item = 0; item < snapshot.items().size(); item++) {
            if (inAny(snapshot.items().get(item).categories(), new int[] {category})) {
                members.set(item);
            }
        }
        return members;
    }

    public static boolean inAny(int[] itemCategories, int[] categories) {
        for (int category : itemCategories) {
            for (int wanted : categories) {
                if (category == wanted) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Fails unless {@code count} distinct items of {@code available} can meet the share (null: no share);
     * {@code shareItems} are the share category's items, indexed like {@code available}.
     */
    public static void requireSatisfiable(int count, BitSet available, ShareRule share, BitSet shareItems) {
        int total = available.cardinality();
        if (total < count) {
            throw new UnsatisfiableRequestException("only " + total + " items satisfy the request's controls, "
                    + count + " were asked for");
        }
        if (share != null) {
            BitSet in = (BitSet) available.clone();
            in.and(shareItems);
            int availableIn = in.cardinality();
            if (!share.reachable(0, count, availableIn, total - availableIn)) {
                throw new UnsatisfiableRequestException("the category share cannot be met: " + availableIn
                        + " allowed items are in the category and " + (total - availableIn) + " are not, for a list of "
                        + count + " that needs between " + share.fewest() + " and " + share.most() + " of them");
            }
        }
    }
}
