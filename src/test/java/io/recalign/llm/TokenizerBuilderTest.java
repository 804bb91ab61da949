package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerBuilderTest {

    private static final List<String> TITLES = List.of("Toy Story (1995)", "Heat (1995)", "Heat Wave", "Schindler 's List , The");
    private static final List<String> CATEGORIES = List.of("Comedy", "Sci-Fi");

    @TempDir
    Path directory;

    private TokenizerBuilder.BuiltTokenizer build() {
        return new TokenizerBuilder()
                .corpus(List.of("Recommend 5 items, at least 30% Comedy.", "The user watched Toy Story (1995) twice!"))
                .titles(TITLES)
                .categories(CATEGORIES)
                .build();
    }

    @Test
    void specialsDigitsAndWordsGetIds() {
        TokenizerBuilder.BuiltTokenizer built = build();

        try (TextTokenizer tokenizer = TextTokenizer.fromJson(built.json())) {
            assertThat(tokenizer.encode("<pad> <s> </s> <unk>")).containsExactly(0, 1, 2, 3);
            int[] digits = tokenizer.encode("0123456789");
            assertThat(digits).hasSize(10).doesNotContain(3);
            assertThat(digits[9] - digits[0]).isEqualTo(9);
            int[] ids = tokenizer.encode("recommend 12 items");
            assertThat(ids).hasSize(4).doesNotContain(3);
            assertThat(tokenizer.decode(ids)).isEqualTo("recommend 1 2 items");
            assertThat(tokenizer.encode("RECOMMEND")).containsExactly(ids[0]);
            assertThat(tokenizer.encode("zebra")).containsExactly(3);
            // recommend items , at least % . the user watched twice ! beside 4 specials, the line break, 10 digits, 6 added
            assertThat(built.vocabSize()).isEqualTo(4 + 1 + 10 + 6 + 12);
        }
    }

    @Test
    void everyTitleAndCategoryIsOneTokenThatDecodesToItsExactText() {
        TokenizerBuilder.BuiltTokenizer built = build();

        try (TextTokenizer tokenizer = TextTokenizer.fromJson(built.json())) {
            for (String title : TITLES) {
                int id = built.titleIds().get(title);
                assertThat(tokenizer.encode(title)).as(title).containsExactly(id);
                assertThat(tokenizer.decode(new int[] {id})).isEqualTo(title);
            }
            for (String category : CATEGORIES) {
                assertThat(tokenizer.encode(category)).containsExactly(built.categoryIds().get(category));
            }
            int[] sentence = tokenizer.encode("watched Heat Wave and Heat (1995), Sci-Fi");
            assertThat(sentence).contains(built.titleIds().get("Heat Wave"), built.titleIds().get("Heat (1995)"),
                    built.categoryIds().get("Sci-Fi"));
            assertThat(tokenizer.decode(new int[] {1, built.titleIds().get("Heat Wave"), 2})).isEqualTo("Heat Wave");
        }
    }

    @Test
    void lineBreaksSurviveDecoding() {
        TokenizerBuilder.BuiltTokenizer built = build();

        try (TextTokenizer tokenizer = TextTokenizer.fromJson(built.json())) {
            int[] ids = tokenizer.encode("1. Heat (1995)\n2. Heat Wave");
            assertThat(ids).containsSubsequence(4);
            assertThat(tokenizer.decode(ids).lines().map(String::strip)).containsExactly("1 . Heat (1995)", "2 . Heat Wave");
        }
    }

    @Test
    void writesALoadableFileAndRejectsBlankTitles(@TempDir Path folder) {
        TokenizerBuilder.BuiltTokenizer built = build();
        Path file = folder.resolve("tokenizer.json");

        built.write(file);

        try (TextTokenizer tokenizer = TextTokenizer.load(file)) {
            assertThat(tokenizer.encode("Toy Story (1995)")).containsExactly(built.titleIds().get("Toy Story (1995)"));
        }
        assertThatThrownBy(() -> new TokenizerBuilder().titles(List.of(" ")).build()).hasMessageContaining("title");
    }
}
