package io.recalign.alignment;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.TextTokenizer;
import io.recalign.tasks.ExampleParameters;
import io.recalign.tasks.Polarity;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Unlikelihood targets of SFT sequences: where an answer writes a title, the titles it wrote before
 * and the titles of the user's history, the repeats and in-history items that evaluation counts as
 * errors (method §6). A small model trained on the answers alone learns which titles are likely but
 * not that a written one is used up, and loops in greedy decoding. A labelled answer never names
 * them, so there they are only pushed down; in an answer the model wrote itself, a repeat it wrote is
 * among them. Only titles the tokenizer writes as one token take part: every title of the catalog
 * tokenizer, few of a sub-word one, whose first tokens are shared between titles.
 *
 * <p>Where the instruction states a category intention (+C, -C, ControlRec), every title of the answer
 * also names the titles the intention rules out, as one set: those in C for an unwanted C, those outside
 * C for a wanted one, less the label's own (a small C may not fill the list). Cross-entropy on the labels
 * alone says which titles are right, not that a whole category is wrong: a small model trained from
 * scratch learnt that naming C matters but not whether C is wanted, and told to exclude C put as much
 * probability on it as without the instruction.
 */
final class UnlikelyTitles {

    private final int[] itemTokens;
    private final BitSet titleTokens = new BitSet();
    private final BitSet[] categoryTitles;

    UnlikelyTitles(TextTokenizer tokenizer, CatalogSnapshot snapshot) {
        itemTokens = snapshot.items().stream().mapToInt(item -> {
            int[] ids = tokenizer.encode(item.title());
            return ids.length == 1 ? ids[0] : -1;
        }).toArray();
        Arrays.stream(itemTokens).filter(token -> token >= 0).forEach(titleTokens::set);
        categoryTitles = IntStream.range(0, snapshot.categories().size()).mapToObj(c -> new BitSet()).toArray(BitSet[]::new);
        for (int item = 0; item < itemTokens.length; item++) {
            for (int category : snapshot.items().get(item).categories()) {
                if (itemTokens[item] >= 0) {
                    categoryTitles[category].set(itemTokens[item]);
                }
            }
        }
    }

    /** The labelled example with the titles to avoid, one by one and as a set, at each title of its answer. */
    EncodedExample apply(EncodedExample example, ExampleParameters parameters) {
        int[] history = titles(parameters.history()).toArray();
        int[][] avoided = perPosition(example.tokens(), example.promptLength(), history);
        int[] ruledOut = ruledOut(parameters).stream().toArray();
        // the same set, one shared array, wherever the answer writes a title
        int[][] sets = ruledOut.length == 0 ? new int[0][]
                : Arrays.stream(avoided).map(titleHere -> titleHere != null ? ruledOut : null).toArray(int[][]::new);
        return new EncodedExample(example.tokens(), example.promptLength(), history, avoided, sets);
    }

    /** The titles a category intention rules out, less the label's; none without an intention. */
    private BitSet ruledOut(ExampleParameters parameters) {
        BitSet ruledOut = new BitSet();
        if (parameters.polarity() == null || parameters.category() < 0) {
            return ruledOut;
        }
        ruledOut.or(categoryTitles[parameters.category()]);
        if (parameters.polarity() == Polarity.POSITIVE) {
            ruledOut.xor(titleTokens);
        }
        titles(parameters.label()).forEach(ruledOut::clear);
        return ruledOut;
    }

    /** The one-token titles of the items, in their order. */
    private IntStream titles(List<Integer> items) {
        return items.stream().mapToInt(item -> itemTokens[item]).filter(token -> token >= 0);
    }

    /** The example's prompt followed by an answer the model wrote, with the titles to avoid in it. */
    EncodedExample written(EncodedExample example, int[] answer) {
        int[] tokens = EncodedExample.of(example.prompt(), answer).tokens();
        return new EncodedExample(tokens, example.promptLength(), example.historyTitles(),
                perPosition(tokens, example.promptLength(), example.historyTitles()), new int[0][]);
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
