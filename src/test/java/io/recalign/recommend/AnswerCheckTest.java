package io.recalign.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.tasks.RateKind;
import io.recalign.tasks.Selection;
import io.recalign.tasks.ShareRule;
import io.recalign.tasks.TitleIndex;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Free answers are grounded title by title and every breach of the request is reported. */
class AnswerCheckTest {

    private static final List<String> CATEGORIES = List.of("Comedy", "Horror", "Drama");
    private static final CatalogSnapshot CATALOG = new CatalogSnapshot("check", List.of(
            item(0, "Toy Story (1995)", 0),
            item(1, "Heat (1995)", 2),
            item(2, "Scream (1996)", 1),
            item(3, "Clueless (1995)", 0),
            item(4, "Casino (1995)", 2),
            item(5, "Jumanji (1995)", 0, 2),
            item(6, "Seven (1995)", 2)),
            CATEGORIES, List.of(new CatalogSnapshot.UserSequence("u1", new int[] {4, 1, 0})));
    private static final TitleIndex TITLES = new TitleIndex(CATALOG.items().stream().map(CatalogSnapshot.Item::title).toList());

    @Test
    void aCleanAnswerHasNoViolations() {
        ResolvedRequest request = request(2, new int[0], new int[0], null, null);

        AnswerCheck.Checked checked = AnswerCheck.check("1. Clueless (1995)\n2. Scream (1996)", request, TITLES);

        assertThat(checked.items()).containsExactly(3, 2);
        assertThat(checked.violations()).isEmpty();
    }

    @Test
    void nearTitlesAreGroundedAndBreachesAreReportedByType() {
        ResolvedRequest request = request(5, new int[0], new int[] {1}, null, null);

        // "Clueles (1995)" is one edit away; "Titanic" does not exist; Toy Story is in the history;
        // Scream is a Horror item (excluded); Clueless comes twice; six titles for five asked
        AnswerCheck.Checked checked = AnswerCheck.check(
                "1. Clueles (1995)\n2. Titanic (1997)\n3. Toy Story (1995)\n4. Scream (1996)\n5. Clueless (1995)\n6. Jumanji (1995)",
                request, TITLES);

        assertThat(checked.items()).containsExactly(3, 5);
        assertThat(checked.violations()).extracting(Violation::type).containsExactly(
                "wrong_count", "non_existent", "in_history", "exclude", "repeat");
        assertThat(checked.violations().get(1).detail()).contains("Titanic");
    }

    @Test
    void includeCandidatesAndShareBreachesAreReported() {
        ShareRule atLeastHalfComedy = ShareRule.of(0, RateKind.AT_LEAST, 0.5, 2);
        ResolvedRequest share = request(2, new int[0], new int[0], atLeastHalfComedy, null);
        assertThat(AnswerCheck.check("1. Scream (1996)\n2. Seven (1995)", share, TITLES).violations())
                .extracting(Violation::type).containsExactly("category_share");
        assertThat(AnswerCheck.check("1. Scream (1996)\n2. Jumanji (1995)", share, TITLES).violations()).isEmpty();

        ResolvedRequest include = request(1, new int[] {2}, new int[0], null, null);
        assertThat(AnswerCheck.check("1. Clueless (1995)", include, TITLES).violations())
                .extracting(Violation::type).containsExactly("include");

        ResolvedRequest candidates = request(1, new int[0], new int[0], null, new int[] {2, 3});
        AnswerCheck.Checked outside = AnswerCheck.check("Jumanji (1995)", candidates, TITLES);
        assertThat(outside.violations()).extracting(Violation::type).containsExactly("candidates");
        assertThat(outside.items()).isEmpty();
    }

    @Test
    void anUnparsableAnswerIsAWrongCount() {
        AnswerCheck.Checked checked = AnswerCheck.check("", request(3, new int[0], new int[0], null, null), TITLES);

        assertThat(checked.items()).isEmpty();
        assertThat(checked.violations()).extracting(Violation::type).containsExactly("wrong_count");
    }

    private static ResolvedRequest request(int count, int[] include, int[] exclude, ShareRule share, int[] candidates) {
        int[] history = CATALOG.users().get(0).items();
        BitSet allowed = Selection.allowedItems(CATALOG, history, include, exclude, candidates);
        return new ResolvedRequest(CATALOG, history, count, include, exclude, share, candidates, Decoding.FREE, "prompt", allowed);
    }

    private static CatalogSnapshot.Item item(int index, String title, int... categories) {
        return new CatalogSnapshot.Item("m" + index, title, categories);
    }
}
