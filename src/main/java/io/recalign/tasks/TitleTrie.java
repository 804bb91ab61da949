package io.recalign.tasks;

import io.recalign.catalog.CatalogSnapshot;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The titles of one catalog as a prefix tree over one tokenizer's tokens, built once per model and
 * dataset. Items are numbered in the order of their sorted token sequences ("tree order"), so the items
 * below any node form one contiguous range: whether a subtree still holds an allowed item is a single
 * {@link BitSet#nextSetBit} probe on a request's allowed set, and a request never copies the tree.
 * Titles the tokenizer cannot write back exactly are left out. Immutable apart from the per-category
 * sets it caches; thread-safe.
 */
public final class TitleTrie {

    static final int ROOT = 0;

    private final CatalogSnapshot snapshot;
    /** tree order → item index. */
    private final int[] itemAt;
    /** item index → tree order, -1 for a title the tokenizer cannot write. */
    private final int[] orderOf;
    private final int longest;
    private final int maxChildren;
    // node n: children childTokens/childNodes[firstChild[n] .. firstChild[n] + childCount[n]), sorted by token
    private final int[] firstChild;
    private final int[] childCount;
    private final int[] childTokens;
    private final int[] childNodes;
    // node n covers the items at tree order [rangeStart[n], rangeEnd[n]); terminal[n] is the one ending there
    private final int[] rangeStart;
    private final int[] rangeEnd;
    private final int[] terminal;
    private final Map<Integer, BitSet> categories = new ConcurrentHashMap<>();

    private TitleTrie(CatalogSnapshot snapshot, int[] itemAt, int[] orderOf, int longest, Builder nodes) {
        this.snapshot = snapshot;
        this.itemAt = itemAt;
        this.orderOf = orderOf;
        this.longest = longest;
        this.firstChild = Arrays.copyOf(nodes.firstChild, nodes.nodes);
        this.childCount = Arrays.copyOf(nodes.childCount, nodes.nodes);
        this.rangeStart = Arrays.copyOf(nodes.rangeStart, nodes.nodes);
        this.rangeEnd = Arrays.copyOf(nodes.rangeEnd, nodes.nodes);
        this.terminal = Arrays.copyOf(nodes.terminal, nodes.nodes);
        this.childTokens = Arrays.copyOf(nodes.childTokens, nodes.edges);
        this.childNodes = Arrays.copyOf(nodes.childNodes, nodes.edges);
        this.maxChildren = Arrays.stream(childCount).max().orElse(0);
    }

    public static TitleTrie build(CatalogSnapshot snapshot, ListFormat format) {
        int items = snapshot.items().size();
        int[][] sequences = new int[items][];
        Integer[] writable = new Integer[items];
        int count = 0;
        int longest = 0;
        for (int item = 0; item < items; item++) {
            String title = snapshot.items().get(item).title();
            int[] tokens = format.title(title);
            if (format.writes(tokens, title)) {
                sequences[item] = tokens;
                writable[count++] = item;
                longest = Math.max(longest, tokens.length);
            }
        }
        Integer[] sorted = Arrays.copyOf(writable, count);
        Arrays.sort(sorted, (a, b) -> Arrays.compare(sequences[a], sequences[b]));
        int[] itemAt = new int[count];
        int[] orderOf = new int[items];
        Arrays.fill(orderOf, -1);
        int[][] ordered = new int[count][];
        for (int order = 0; order < count; order++) {
            itemAt[order] = sorted[order];
            orderOf[sorted[order]] = order;
            ordered[order] = sequences[sorted[order]];
        }
        Builder builder = new Builder();
        builder.build(ordered, 0, count, 0);
        return new TitleTrie(snapshot, itemAt, orderOf, longest, builder);
    }

    /** Number of titles the tree holds. */
    int size() {
        return itemAt.length;
    }

    /** Most tokens of one title. */
    public int longest() {
        return longest;
    }

    /** Most children of one node: the most tokens a title position can allow. */
    int maxChildren() {
        return maxChildren;
    }

    int item(int order) {
        return itemAt[order];
    }

    /** Tree order of an item, -1 when its title cannot be generated. */
    int order(int item) {
        return orderOf[item];
    }

    int childCount(int node) {
        return childCount[node];
    }

    int childToken(int node, int child) {
        return childTokens[firstChild[node] + child];
    }

    int childNode(int node, int child) {
        return childNodes[firstChild[node] + child];
    }

    /** Tree order of the title that ends at this node, or -1. */
    int terminal(int node) {
        return terminal[node];
    }

    /** Whether some item below {@code node} is in {@code allowed} (a set in tree order). */
    boolean holds(BitSet allowed, int node) {
        int next = allowed.nextSetBit(rangeStart[node]);
        return next >= 0 && next < rangeEnd[node];
    }

    /** Items (by item index) in tree order; items that cannot be generated are dropped. */
    public BitSet inTreeOrder(BitSet items) {
        BitSet ordered = new BitSet(itemAt.length);
        for (int item = items.nextSetBit(0); item >= 0; item = items.nextSetBit(item + 1)) {
            if (orderOf[item] >= 0) {
                ordered.set(orderOf[item]);
            }
        }
        return ordered;
    }

    /** The items of a category, in tree order (computed once per category). */
    BitSet category(int category) {
        return categories.computeIfAbsent(category, c -> inTreeOrder(Selection.categoryItems(snapshot, c)));
    }

    /** Grows the node arrays while the tree is built depth-first from the sorted sequences. */
    private static final class Builder {
        int nodes;
        int edges;
        int[] firstChild = new int[64];
        int[] childCount = new int[64];
        int[] rangeStart = new int[64];
        int[] rangeEnd = new int[64];
        int[] terminal = new int[64];
        int[] childTokens = new int[64];
        int[] childNodes = new int[64];

        /** The node of the sequences [from, to), which share their first {@code depth} tokens. */
        int build(int[][] sequences, int from, int to, int depth) {
            int node = newNode(from, to);
            int at = from;
            if (at < to && sequences[at].length == depth) {
                terminal[node] = at++;
            }
            int groups = 0;
            for (int i = at; i < to; i++) {
                if (i == at || sequences[i][depth] != sequences[i - 1][depth]) {
                    groups++;
                }
            }
            int first = reserveEdges(groups);
            firstChild[node] = first;
            childCount[node] = groups;
            int edge = first;
            for (int start = at; start < to; ) {
                int token = sequences[start][depth];
                int end = start;
                while (end < to && sequences[end][depth] == token) {
                    end++;
                }
                int child = build(sequences, start, end, depth + 1); // may grow the arrays: assign after
                childTokens[edge] = token;
                childNodes[edge] = child;
                edge++;
                start = end;
            }
            return node;
        }

        private int newNode(int from, int to) {
            if (nodes == firstChild.length) {
                int size = nodes * 2;
                firstChild = Arrays.copyOf(firstChild, size);
                childCount = Arrays.copyOf(childCount, size);
                rangeStart = Arrays.copyOf(rangeStart, size);
                rangeEnd = Arrays.copyOf(rangeEnd, size);
                terminal = Arrays.copyOf(terminal, size);
            }
            rangeStart[nodes] = from;
            rangeEnd[nodes] = to;
            terminal[nodes] = -1;
            return nodes++;
        }

        private int reserveEdges(int count) {
            if (edges + count > childTokens.length) {
                int size = Math.max(childTokens.length * 2, edges + count);
                childTokens = Arrays.copyOf(childTokens, size);
                childNodes = Arrays.copyOf(childNodes, size);
            }
            int first = edges;
            edges += count;
            return first;
        }
    }
}
