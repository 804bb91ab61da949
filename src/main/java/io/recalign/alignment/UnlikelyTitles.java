package io.recalign.alignment;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.TextTokenizer;
import io.recalign.tasks.ExampleParameters;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Unlikelihood targets of SFT sequences: where an answer writes a title, the titles it wrote before
 * and the titles of the user's history, the repeats and in-history items that evaluation counts as
 * errors (method §6). A small model trained on the answers alone learns which titles are likely but
 * not that a written one is used up, and loops in greedy decoding. A labelled answer never names
 * them, so there they are only pushed down; in an answer the model wrote itself, a repeat it wrote is
 * among them. Only titles the tokenizer writes as one token take part: every title of the catalog
 * tokenizer, few of a sub-word one, whose first tokens are shared between titles.
 */
final class UnlikelyTitles {

    private final int[] itemTokens;
    private final BitSet titleTokens = new BitSet();

    UnlikelyTitles(TextTokenizer tokenizer, CatalogSnapshot snapshot) {
        itemTokens = snapshot.items().stream().mapToInt(item -> {
            int[] ids = tokenizer.encode(item.title());
            return ids.length == 1 ? ids[0] : -1;
        }).toArray();
        Arrays.stream(itemTokens).filter(token -> token >= 0).forEach(titleTokens::set);
    }

    /** The labelled example with the titles to avoid at each title of its answer. */
    EncodedExample apply(EncodedExample example, ExampleParameters parameters) {
        int[] history = parameters.history().stream().mapToInt(item -> itemTokens[item]).filter(token -> token >= 0)
                .toArray();
        return new EncodedExample(example.tokens(), example.promptLength(), history,
                perPosition(example.tokens(), example.promptLength(), history));
    }

    /** The example's prompt followed by an answer the model wrote, with the titles to avoid in it. */
    EncodedExample written(EncodedExample example, int[] answer) {
        int[] tokens = EncodedExample.of(example.prompt(), answer).tokens();
        return new EncodedExample(tokens, example.promptLength(), example.historyTitles(),
                perPosition(tokens, example.promptLength(), example.historyTitles()));
    }

    /** Whether some position of the example names a title to avoid. */
    static boolean namesAny(EncodedExample example) {
        return Arrays.stream(example.unlikely()).anyMatch(avoided -> avoided != null && avoided.length > 0);
    }

    private int[][] perPosition(int[] tokens, int promptLength, int[] history) {
        Set<Integer> written = new LinkedHashSet<>();
        Arrays.stream(history).forEach(written::add);
        int[][] avoided = new int[tokens.length][];
        for (int t = promptLength; t < tokens.length; t++) {
            if (titleTokens.get(tokens[t])) {
                avoided[t] = written.stream().mapToInt(Integer::intValue).toArray();
                written.add(tokens[t]);
            }
        }
        return avoided;
    }
}
