package io.recalign.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class AnswerFormatTest {

    @Test
    void formatsANumberedListOneTitlePerLine() {
        assertThat(AnswerFormat.format(List.of("Toy Story (1995)", "Heat (1995)", "Up (2009)")))
                .isEqualTo("1. Toy Story (1995)\n2. Heat (1995)\n3. Up (2009)");
    }

    @Property(tries = 500)
    void parsingAFormattedListGivesBackExactlyTheTitles(@ForAll("titleLists") List<String> titles) {
        String answer = AnswerFormat.format(titles);
        assertThat(AnswerFormat.parse(answer)).isEqualTo(titles);
        assertThat(AnswerFormat.isWellFormed(answer)).isTrue();
    }

    @Provide
    Arbitrary<List<String>> titleLists() {
        Arbitrary<String> title = Arbitraries.strings()
                .withChars("abcXYZ 0123456789.)(:-*'\"`\u201C\u201D\u2018\u2019\u00AB\u00BB\u00E9#")
                .ofMinLength(1).ofMaxLength(20)
                .filter(t -> !t.isBlank() && t.equals(t.strip()));
        return title.list().ofMinSize(1).ofMaxSize(15);
    }

    @Test
    void toleratesNumberingSlips() {
        assertThat(AnswerFormat.parse("1.Heat (1995)\n2 ) Up (2009)\n3)Alien (1979)\n4 . Fargo (1996)"))
                .containsExactly("Heat (1995)", "Up (2009)", "Alien (1979)", "Fargo (1996)");
    }

    @Test
    void toleratesMissingNumbersBlankLinesTrailingSpacesAndWindowsLineEnds() {
        assertThat(AnswerFormat.parse("\n1. Heat (1995)   \r\n\r\nUp (2009)\n\n  3. Alien (1979)\t\n\n"))
                .containsExactly("Heat (1995)", "Up (2009)", "Alien (1979)");
    }

    @Test
    void stripsQuotesAroundTitlesButNotApostrophesInside() {
        assertThat(AnswerFormat.parse("1. 'Heat (1995)'\n2. \"Up (2009)\"\n3. \u201CAlien (1979)\u201D\n"
                + "4. Schindler's List (1993)\n5. 'Round Midnight (1986)"))
                .containsExactly("Heat (1995)", "Up (2009)", "Alien (1979)", "Schindler's List (1993)",
                        "'Round Midnight (1986)");
    }

    @Test
    void readsNumbersSpacedOutAsWordLevelTokenizersDecodeThem() {
        assertThat(AnswerFormat.parse("1 . Heat (1995) \n 1 0 . Up (2009) \n 1 2 ) Alien (1979)"))
                .containsExactly("Heat (1995)", "Up (2009)", "Alien (1979)");
    }

    @Test
    void keepsTitlesThatOnlyLookNumbered() {
        assertThat(AnswerFormat.parse("2001: A Space Odyssey (1968)\n1.5 Men\n10 Things I Hate About You (1999)"))
                .containsExactly("2001: A Space Odyssey (1968)", "1.5 Men", "10 Things I Hate About You (1999)");
        assertThat(AnswerFormat.parse("1. 9. Songs\n2. - Dash")).containsExactly("9. Songs", "- Dash");
    }

    @Test
    void acceptsBulletsAndDropsEmptyNumberedLines() {
        assertThat(AnswerFormat.parse("- Heat (1995)\n* Up (2009)\n3.\n4. Alien (1979)"))
                .containsExactly("Heat (1995)", "Up (2009)", "Alien (1979)");
    }

    @Test
    void stopsAtEndOfSequenceText() {
        assertThat(AnswerFormat.parse("1. Heat (1995)\n2. Up (2009)</s>\n3. Alien (1979)"))
                .containsExactly("Heat (1995)", "Up (2009)");
        assertThat(AnswerFormat.parse("1. Heat (1995)<|endoftext|>junk")).containsExactly("Heat (1995)");
    }

    @Test
    void keepsRepeatsForTheRepeatMetric() {
        assertThat(AnswerFormat.parse("1. Heat\n2. Heat")).containsExactly("Heat", "Heat");
    }

    @Test
    void sloppyAnswersAreNotWellFormed() {
        assertThat(AnswerFormat.isWellFormed("1. Heat\n2. Up")).isTrue();
        assertThat(AnswerFormat.isWellFormed("1.Heat\n2. Up")).isFalse();
        assertThat(AnswerFormat.isWellFormed("1. Heat\n\n2. Up")).isFalse();
        assertThat(AnswerFormat.isWellFormed("1. Heat\n3. Up")).isFalse();
        assertThat(AnswerFormat.isWellFormed("")).isFalse();
    }

    @Test
    void refusesTitlesThatCannotRoundTrip() {
        assertThatThrownBy(() -> AnswerFormat.format(List.of("Heat\nUp"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnswerFormat.format(List.of(" Heat"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnswerFormat.format(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnswerFormat.format(List.of("Heat</s>"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void categoryAnswerRoundTrips() {
        String answer = AnswerFormat.categoryAnswer("Schindler's List (1993)", "Drama");
        assertThat(answer).isEqualTo("The category of 'Schindler's List (1993)' is 'Drama'.");
        assertThat(AnswerFormat.parseCategoryAnswer(answer)).contains("Drama");
        assertThat(AnswerFormat.parseCategoryAnswer(answer + "</s>")).contains("Drama");
        assertThat(AnswerFormat.parseCategoryAnswer("1. Drama")).isEmpty();
    }
}
