package io.recalign.tasks;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Guided decoding of one answer: a state machine over the list format and the title tree that lets
 * through only tokens that keep the answer a list of exactly {@code count} distinct allowed titles,
 * with the category share still reachable, then the end of sequence. Markers ("1.", "\n2.") are forced
 * token by token; inside a title, a child token is allowed when its subtree still holds an eligible
 * title, and the token after a complete eligible title (the next marker, or the end of sequence after
 * the last item) closes it. A token that is both a child and the closing token continues the title.
 * One instance serves one sequence of one generation; not thread-safe.
 */
public final class GuidedAnswer implements AnswerConstraint {

    private final TitleTrie trie;
    private final ListFormat format;
    private final int count;
    /** Allowed items not chosen yet, in tree order. */
    private final BitSet available;
    private final ShareRule share;
    private final BitSet shareItems;
    private final List<Integer> chosen = new ArrayList<>();
    private final int[] allowedTokens;
    private int inCategory;
    private int consumed;
    /** Index of the item being written. */
    private int position;
    /** Next token of the marker being written, or -1 while a title is written. */
    private int markerAt;
    private int node;
    /** Items the title being written may become, in tree order. */
    private BitSet eligible;

    /**
     * @param allowed items (tree order) the request allows: catalog minus history, filtered by the controls
     * @param share   the category share, or null
     * @throws UnsatisfiableRequestException when the allowed items cannot make such a list
     */
    public GuidedAnswer(TitleTrie trie, ListFormat format, int count, BitSet allowed, ShareRule share) {
        if (count > format.maxCount()) {
            throw new IllegalArgumentException("at most " + format.maxCount() + " items, asked for " + count);
        }
        this.trie = trie;
        this.format = format;
        this.count = count;
        this.available = (BitSet) allowed.clone();
        this.share = share;
        this.shareItems = share == null ? null : trie.category(share.category());
        Selection.requireSatisfiable(count, available, share, shareItems);
        this.allowedTokens = new int[trie.maxChildren() + 1];
    }

    @Override
    public int budget() {
        return format.budget(count, trie.longest());
    }

    /** The chosen items (item indices) in answer order. */
    public List<Integer> items() {
        return List.copyOf(chosen);
    }

    /** Reads the whole generated answer (its last token, the end of sequence, was never constrained after). */
    public boolean complete(int[] generated) {
        consume(generated);
        return position == count;
    }

    private void consume(int[] generated) {
        while (consumed < generated.length) {
            accept(generated[consumed++]);
        }
    }

    @Override
    public void constrain(int[] generated, float[] logits) {
        consume(generated);
        int allowed = allowedTokens();
        if (allowed == 0) {
            throw new IllegalStateException("guided decoding reached a state with no allowed token");
        }
        AnswerConstraint.keepOnly(logits, allowedTokens, allowed);
    }

    /** Fills {@link #allowedTokens} with the tokens that may come next; returns how many. */
    private int allowedTokens() {
        if (position == count) {
            return 0;
        }
        if (markerAt >= 0) {
            allowedTokens[0] = format.marker(position)[markerAt];
            return 1;
        }
        int allowed = 0;
        for (int child = 0; child < trie.childCount(node); child++) {
            if (trie.holds(eligible, trie.childNode(node, child))) {
                allowedTokens[allowed++] = trie.childToken(node, child);
            }
        }
        if (closable()) {
            allowedTokens[allowed++] = closingToken();
        }
        return allowed;
    }

    private void accept(int token) {
        if (position == count) {
            throw new IllegalStateException("token " + token + " after the end of a guided answer");
        }
        if (markerAt >= 0) {
            if (token != format.marker(position)[markerAt]) {
                throw new IllegalStateException("token " + token + " where the list marker goes");
            }
            advanceMarker();
            return;
        }
        for (int child = 0; child < trie.childCount(node); child++) {
            int childNode = trie.childNode(node, child);
            if (trie.childToken(node, child) == token && trie.holds(eligible, childNode)) {
                node = childNode;
                return;
            }
        }
        if (closable() && token == closingToken()) {
            choose(trie.terminal(node));
            return;
        }
        throw new IllegalStateException("token " + token + " fits no allowed title");
    }

    private boolean closable() {
        int order = trie.terminal(node);
        return order >= 0 && eligible.get(order);
    }

    private int closingToken() {
        return position + 1 == count ? format.endOfSequence() : format.marker(position + 1)[0];
    }

    private void choose(int order) {
        available.clear(order);
        chosen.add(trie.item(order));
        if (shareItems != null && shareItems.get(order)) {
            inCategory++;
        }
        position++;
        if (position < count) {
            markerAt = 0;
            advanceMarker(); // the closing token was the marker's first
        }
    }

    private void advanceMarker() {
        markerAt++;
        if (markerAt == format.marker(position).length) {
            markerAt = -1;
            node = TitleTrie.ROOT;
            eligible = eligibleForNextTitle();
        }
    }

    /** The available items the next title may be, so that the category share stays reachable. */
    private BitSet eligibleForNextTitle() {
        if (share == null) {
            return available;
        }
        BitSet in = (BitSet) available.clone();
        in.and(shareItems);
        int availableIn = in.cardinality();
        int availableOut = available.cardinality() - availableIn;
        int remaining = count - position;
        boolean mayTakeIn = share.mayTakeIn(inCategory, remaining, availableIn, availableOut);
        boolean mayTakeOut = share.mayTakeOut(inCategory, remaining, availableIn, availableOut);
        if (mayTakeIn && mayTakeOut) {
            return available;
        }
        if (mayTakeIn) {
            return in;
        }
        if (mayTakeOut) {
            BitSet out = (BitSet) available.clone();
            out.andNot(shareItems);
            return out;
        }
        throw new IllegalStateException("the category share became unreachable");
    }
}
