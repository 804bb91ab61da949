package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.LlamaConfig;
import io.recalign.llm.TextTokenizer;
import io.recalign.llm.TokenizerBuilder;
import io.recalign.tasks.ExampleParameters;
import io.recalign.tasks.Polarity;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnlikelyTitlesTest {

    private static final List<String> TITLES = List.of("Heat (1995)", "Jumanji (1995)", "Casino (1995)",
            "Toy Story (1995)", "Big Fish (2003)");
    private static final String PROMPT = "You are an expert recommender engine. History: 'Heat (1995)' → 'Jumanji (1995)'."
            + " Recommend 3 items.";
    private static final String ANSWER = "1. Casino (1995)\n2. Toy Story (1995)\n3. Big Fish (2003)";

    @Test
    void eachWrittenTitleAvoidsTheHistoryAndTheTitlesWrittenBeforeIt() {
        // the catalog tokenizer writes every title but the last as one token; "Big Fish (2003)" is words
        TokenizerBuilder.BuiltTokenizer built = new TokenizerBuilder().corpus(List.of(PROMPT, ANSWER))
                .titles(TITLES.subList(0, 4)).build();
        CatalogSnapshot snapshot = new CatalogSnapshot("movies",
                TITLES.stream().map(title -> new CatalogSnapshot.Item(title, title, new int[0])).toList(), List.of(), List.of());
        try (TextTokenizer tokenizer = TextTokenizer.fromJson(built.json())) {
            InstructionCodec codec = new InstructionCodec(tokenizer, LlamaConfig.defaultCpu(built.vocabSize()));
            EncodedExample example = EncodedExample.of(codec, PROMPT, ANSWER);
            ExampleParameters parameters = new ExampleParameters("7", List.of(0, 1), 2, 3, -1, null, -1, List.of(),
                    List.of(2, 3, 4));

            UnlikelyTitles titles = new UnlikelyTitles(tokenizer, snapshot);
            EncodedExample unlikely = titles.apply(example, parameters);

            int heat = built.titleIds().get("Heat (1995)");
            int jumanji = built.titleIds().get("Jumanji (1995)");
            int casino = built.titleIds().get("Casino (1995)");
            int toyStory = built.titleIds().get("Toy Story (1995)");
            int casinoAt = indexOf(example.tokens(), casino, example.promptLength());
            int toyStoryAt = indexOf(example.tokens(), toyStory, example.promptLength());
            assertThat(unlikely.tokens()).isEqualTo(example.tokens());
            assertThat(unlikely.unlikely()[casinoAt]).containsExactly(heat, jumanji);
            assertThat(unlikely.unlikely()[toyStoryAt]).containsExactly(heat, jumanji, casino);
            for (int t = 0; t < example.length(); t++) {
                if (t != casinoAt && t != toyStoryAt) {
                    assertThat(unlikely.unlikely()[t]).as("position %d", t).isNull();
                }
            }
            assertThat(UnlikelyTitles.namesAny(example)).as("the plain example names nothing").isFalse();
            assertThat(UnlikelyTitles.namesAny(unlikely)).isTrue();

            // an answer the model wrote: "Casino, Heat, Casino"; its in-history and repeated titles are
            // among what their own positions avoid
            int one = tokenizer.encode("1")[0];
            int[] loop = {one, casino, one, heat, one, casino};
            EncodedExample written = titles.written(unlikely, loop);
            int start = example.promptLength();
            assertThat(Arrays.copyOfRange(written.tokens(), start, written.length())).isEqualTo(loop);
            assertThat(written.unlikely()[start + 1]).containsExactly(heat, jumanji);
            assertThat(written.unlikely()[start + 3]).containsExactly(heat, jumanji, casino);
            assertThat(written.unlikely()[start + 5]).containsExactly(heat, jumanji, casino);
            assertThat(written.unlikely()[start]).isNull();
        }
    }

    @Test
    void aCategoryIntentionRulesOutItsTitlesAsOneSetAtEveryTitle() {
        TokenizerBuilder.BuiltTokenizer built = new TokenizerBuilder().corpus(List.of(PROMPT, ANSWER))
                .titles(TITLES.subList(0, 4)).build();
        // categories 0 Comedy, 1 Drama; "Big Fish (2003)" is a comedy written in words
        int[][] categories = {{1}, {0}, {1}, {0}, {0}};
        CatalogSnapshot snapshot = new CatalogSnapshot("movies", IntStream.range(0, TITLES.size())
                .mapToObj(i -> new CatalogSnapshot.Item(TITLES.get(i), TITLES.get(i), categories[i])).toList(),
                List.of("Comedy", "Drama"), List.of());
        try (TextTokenizer tokenizer = TextTokenizer.fromJson(built.json())) {
            InstructionCodec codec = new InstructionCodec(tokenizer, LlamaConfig.defaultCpu(built.vocabSize()));
            EncodedExample example = EncodedExample.of(codec, PROMPT, ANSWER);
            UnlikelyTitles titles = new UnlikelyTitles(tokenizer, snapshot);
            int heat = built.titleIds().get("Heat (1995)");
            int jumanji = built.titleIds().get("Jumanji (1995)");
            int casinoAt = indexOf(example.tokens(), built.titleIds().get("Casino (1995)"), example.promptLength());
            int toyStoryAt = indexOf(example.tokens(), built.titleIds().get("Toy Story (1995)"), example.promptLength());

            // -C Comedy: the comedies, less the label's Toy Story
            EncodedExample unwanted = titles.apply(example, intention(0, Polarity.NEGATIVE));
            // +C Comedy: the titles outside it, less the label's Casino (a small C could not fill the list)
            EncodedExample wanted = titles.apply(example, intention(0, Polarity.POSITIVE));
            for (var expected : List.of(Map.entry(unwanted, jumanji), Map.entry(wanted, heat))) {
                int[][] sets = expected.getKey().ruledOut();
                assertThat(sets.length).isEqualTo(example.length());
                assertThat(sets[casinoAt]).containsExactly(expected.getValue());
                assertThat(sets[toyStoryAt]).containsExactly(expected.getValue());
                for (int t = 0; t < example.length(); t++) {
                    if (t != casinoAt && t != toyStoryAt) {
                        assertThat(sets[t]).as("position %d", t).isNull();
                    }
                }
            }
            assertThat(titles.apply(example, intention(-1, null)).ruledOut()).as("no intention, no set").isEmpty();
        }
    }

    private static ExampleParameters intention(int category, Polarity polarity) {
        return new ExampleParameters("7", List.of(), 2, 3, category, polarity, -1, List.of(), List.of(2, 3, 4));
    }

    private static int indexOf(int[] tokens, int token, int from) {
        for (int i = from; i < tokens.length; i++) {
            if (tokens[i] == token) {
                return i;
            }
        }
        throw new AssertionError("token " + token + " is not in the answer");
    }
}
