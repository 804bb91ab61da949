package io.recalign.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TitleIndexTest {

    private final TitleIndex index = new TitleIndex(List.of(
            "Toy Story (1995)", "Heat (1995)", "Heart (1995)", "Alien (1979)", "Aliens (1986)", "Up", "M"));

    @Test
    void exactTitleWinsWithDistanceZero() {
        assertThat(index.match("Heat (1995)")).contains(new TitleIndex.Match(1, 0));
        assertThat(index.match("Aliens (1986)")).contains(new TitleIndex.Match(4, 0));
    }

    @Test
    void nearestTitleWithinThreeEdits() {
        assertThat(index.match("Toy Stor (1995)")).contains(new TitleIndex.Match(0, 1));     // deletion
        assertThat(index.match("Toy Storyy (1995)")).contains(new TitleIndex.Match(0, 1));   // insertion
        assertThat(index.match("Toy Storu (1995)")).contains(new TitleIndex.Match(0, 1));    // substitution
        assertThat(index.match("Toi Stori (1995)")).contains(new TitleIndex.Match(0, 2));
        assertThat(index.match("Toi Stori (1996)")).contains(new TitleIndex.Match(0, 3));
        assertThat(index.match("toy story (1995)")).contains(new TitleIndex.Match(0, 2));
    }

    @Test
    void moreThanThreeEditsMatchesNothing() {
        assertThat(index.match("Toi Stori (1997")).isEmpty();
        assertThat(index.match("Completely Different")).isEmpty();
    }

    @Test
    void tiesGoToTheLowestItemIndex() {
        // "Hea t (1995)" is one edit from both "Heat (1995)" (1) and "Heart (1995)" (2)
        assertThat(index.match("Hea t (1995)")).contains(new TitleIndex.Match(1, 1));
        TitleIndex reversed = new TitleIndex(List.of("Heart (1995)", "Heat (1995)"));
        assertThat(reversed.match("Hea t (1995)")).contains(new TitleIndex.Match(0, 1));
    }

    @Test
    void shortTitlesAreFoundToo() {
        assertThat(index.match("Upp")).contains(new TitleIndex.Match(5, 1));
        assertThat(index.match("Mx")).contains(new TitleIndex.Match(6, 1));
        assertThat(index.match("")).contains(new TitleIndex.Match(6, 1)); // "M" is one insertion away
    }

    @Test
    void matchAllMarksUnknownTitles() {
        assertThat(index.matchAll(List.of("Heat (1995)", "Nothing Like It At All", "Alien (1978)")))
                .containsExactly(1, -1, 3);
    }

    @Property(tries = 300)
    void agreesWithABruteForceScan(@ForAll("catalogs") List<String> titles, @ForAll("queries") String query) {
        TitleIndex small = new TitleIndex(titles);
        Optional<TitleIndex.Match> expected = Optional.empty();
        for (int item = 0; item < titles.size(); item++) {
            int distance = levenshtein(query, titles.get(item));
            boolean exactFirst = expected.isPresent() && expected.get().distance() == 0;
            if (distance <= 3 && !exactFirst && (expected.isEmpty() || distance < expected.get().distance())) {
                expected = Optional.of(new TitleIndex.Match(item, distance));
            }
        }
        assertThat(small.match(query)).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void boundedDistanceIsExactUpToTheBound(@ForAll("queries") String a, @ForAll("queries") String b) {
        int exact = levenshtein(a, b);
        for (int bound = 0; bound <= 4; bound++) {
            assertThat(TitleIndex.boundedDistance(a, b, bound)).isEqualTo(Math.min(exact, bound + 1));
        }
    }

    @Property(tries = 1000)
    void bitParallelDistanceIsExactUpToTheBound(@ForAll("queries") String a, @ForAll("queries") String b) {
        int exact = levenshtein(a, b);
        TitleIndex.Verifier verifier = new TitleIndex.Verifier(a, b.length());
        for (int bound = 0; bound <= 4; bound++) {
            assertThat(verifier.distance(b, bound)).isEqualTo(Math.min(exact, bound + 1));
        }
    }

    @Property(tries = 300)
    void longAndNonAsciiQueriesMeasureRightToo(@ForAll("longTitles") String a, @ForAll("edits") List<Integer> edits) {
        StringBuilder b = new StringBuilder(a);
        for (int edit : edits) { // delete (even) or replace (odd) the character at edit / 2
            int at = edit / 2 % b.length();
            if (edit % 2 == 0) {
                b.deleteCharAt(at);
            } else {
                b.setCharAt(at, '\u00E9');
            }
        }
        int exact = levenshtein(a, b.toString());
        for (int bound = 0; bound <= 4; bound++) {
            assertThat(new TitleIndex.Verifier(a, b.length()).distance(b.toString(), bound))
                    .isEqualTo(Math.min(exact, bound + 1));
        }
    }

    @Provide
    Arbitrary<String> longTitles() {
        return Arbitraries.strings().withChars("ab \u00E9\u4E2D").ofMinLength(40).ofMaxLength(90);
    }

    @Provide
    Arbitrary<List<Integer>> edits() {
        return Arbitraries.integers().between(0, 200).list().ofMaxSize(5);
    }

    /** A small alphabet makes near neighbours, ties and shared segments common. */
    @Provide
    Arbitrary<List<String>> catalogs() {
        return Arbitraries.strings().withChars("ab c").ofMinLength(0).ofMaxLength(12).list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<String> queries() {
        return Arbitraries.strings().withChars("ab cd").ofMinLength(0).ofMaxLength(14);
    }

    private static int levenshtein(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
            }
        }
        return d[a.length()][b.length()];
    }

    @Test
    void indexCopesWithDuplicateTitlesByTakingTheFirst() {
        TitleIndex duplicates = new TitleIndex(new ArrayList<>(List.of("Same", "Same", "Other")));
        assertThat(duplicates.match("Same")).contains(new TitleIndex.Match(0, 0));
        assertThat(duplicates.match("Sama")).contains(new TitleIndex.Match(0, 1));
    }
}
