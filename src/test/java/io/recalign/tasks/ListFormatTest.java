package io.recalign.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.TextTokenizer;
import io.recalign.tasks.AnswerFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class ListFormatTest {

    private static final CatalogSnapshot CATALOG = GuidedFixtures.catalog("format", 60, 5, 3);

    @Test
    void wordLevelTitlesAreOneTokenAndAnswersAreCutIntoLinesAtTheMarkers() {
        try (TextTokenizer tokenizer = GuidedFixtures.wordLevel(CATALOG).open()) {
            ListFormat format = new ListFormat(tokenizer, 2, 12);
            List<String> titles = CATALOG.items().subList(0, 12).stream().map(CatalogSnapshot.Item::title).toList();
            for (String title : titles) {
                assertThat(format.title(title)).hasSize(1);
                assertThat(format.writes(format.title(title), title)).isTrue();
            }
            assertThat(format.marker(0)).hasSize(2);  // "1" "."
            assertThat(format.marker(9)).hasSize(4);  // "\n" "1" "0" "."

            String text = format.text(tokens(format, titles, true));

            assertThat(AnswerFormat.parse(text)).containsExactlyElementsOf(titles);
        }
    }

    @Test
    void answersOfATokenizerWithoutLineBreaksAreCutAtTheMarkers() {
        // the word-level tokenizer without its line-break token: decoding puts a list on one line
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode root = (ObjectNode) json.readTree(GuidedFixtures.wordLevel(CATALOG).json());
        ArrayNode added = (ArrayNode) root.get("added_tokens");
        for (int i = added.size() - 1; i >= 0; i--) {
            if (added.get(i).get("content").asString().equals("\n")) {
                added.remove(i);
            }
        }
        ((ObjectNode) root.get("model").get("vocab")).remove("\n");
        try (TextTokenizer tokenizer = TextTokenizer.fromJson(json.writeValueAsString(root))) {
            ListFormat format = new ListFormat(tokenizer, 2, 12);
            List<String> titles = CATALOG.items().subList(0, 12).stream().map(CatalogSnapshot.Item::title).toList();
            int[] tokens = tokens(format, titles, true);
            assertThat(tokenizer.decode(tokens)).doesNotContain("\n");

            String text = format.text(tokens);

            assertThat(text.lines()).hasSize(12).allSatisfy(line -> assertThat(line).matches("\\d+\\. .+"));
            assertThat(AnswerFormat.parse(text)).containsExactlyElementsOf(titles);
        }
    }

    @Test
    void subWordTitlesSpanSeveralTokensAndDecodeToTheExactAnswer() {
        try (TextTokenizer tokenizer = GuidedFixtures.byteLevelBpe(CATALOG, 80).open()) {
            ListFormat format = new ListFormat(tokenizer, 2, 12);
            List<String> titles = CATALOG.items().subList(0, 5).stream().map(CatalogSnapshot.Item::title).toList();
            assertThat(titles).allSatisfy(title -> assertThat(format.title(title).length).isGreaterThan(1));

            String text = format.text(tokens(format, titles, true));

            assertThat(text).isEqualTo(AnswerFormat.format(titles));
            assertThat(format.budget(5, 10)).isEqualTo(1 + IntStream.range(0, 5).map(i -> format.marker(i).length + 10).sum());
        }
    }

    /** The tokens guided decoding writes for these titles. */
    static int[] tokens(ListFormat format, List<String> titles, boolean endOfSequence) {
        List<Integer> tokens = new ArrayList<>();
        for (int i = 0; i < titles.size(); i++) {
            for (int token : format.marker(i)) {
                tokens.add(token);
            }
            for (int token : format.title(titles.get(i))) {
                tokens.add(token);
            }
        }
        if (endOfSequence) {
            tokens.add(format.endOfSequence());
        }
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }
}
