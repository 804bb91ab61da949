package io.recalign.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TitleTrieTest {

    private static final CatalogSnapshot CATALOG = GuidedFixtures.catalog("trie", 200, 5, 5);

    @Test
    void everyTitleIsOnePathOfTheTreeAndSubtreesAreContiguousRanges() {
        try (TextTokenizer tokenizer = GuidedFixtures.byteLevelBpe(CATALOG, 120).open()) {
            ListFormat format = new ListFormat(tokenizer, 2, 10);
            TitleTrie trie = TitleTrie.build(CATALOG, format);

            assertThat(trie.size()).isEqualTo(CATALOG.items().size());
            int prefixTitles = 0;
            for (int item = 0; item < CATALOG.items().size(); item++) {
                int[] tokens = format.title(CATALOG.items().get(item).title());
                int node = TitleTrie.ROOT;
                for (int token : tokens) {
                    node = child(trie, node, token);
                    assertThat(node).as("path of item %d", item).isNotNegative();
                }
                assertThat(trie.item(trie.terminal(node))).isEqualTo(item);
                if (trie.childCount(node) > 0) {
                    prefixTitles++;
                }
                BitSet only = new BitSet();
                only.set(trie.order(item));
                assertThat(trie.holds(only, TitleTrie.ROOT)).isTrue();
                assertThat(trie.holds(only, node)).isTrue();
            }
            assertThat(prefixTitles).as("titles that are prefixes of others").isPositive();
            assertThat(trie.longest()).isGreaterThan(1);
        }
    }

    @Test
    void categorySetsAndOrderMappingAgree() {
        try (TextTokenizer tokenizer = GuidedFixtures.wordLevel(CATALOG).open()) {
            TitleTrie trie = TitleTrie.build(CATALOG, new ListFormat(tokenizer, 2, 10));

            assertThat(trie.longest()).isEqualTo(1);
            BitSet comedy = trie.category(0);
            List<Integer> members = new ArrayList<>();
            comedy.stream().forEach(order -> members.add(trie.item(order)));
            List<Integer> expected = new ArrayList<>();
            for (int item = 0; item < CATALOG.items().size(); item++) {
                if (Arrays.stream(CATALOG.items().get(item).categories()).anyMatch(c -> c == 0)) {
                    expected.add(item);
                }
            }
            assertThat(members).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static int child(TitleTrie trie, int node, int token) {
        for (int child = 0; child < trie.childCount(node); child++) {
            if (trie.childToken(node, child) == token) {
                return trie.childNode(node, child);
            }
        }
        return -1;
    }
}
