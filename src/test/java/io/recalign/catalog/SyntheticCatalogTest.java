package io.recalign.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyntheticCatalogTest {

    private static final CatalogSnapshot DEFAULT = snapshot(SyntheticSpec.defaults());

    @Test
    void sameSeedSameCatalogOtherSeedOtherCatalog() {
        CatalogSnapshot again = snapshot(SyntheticSpec.defaults());
        assertThat(again.items()).usingRecursiveFieldByFieldElementComparator().isEqualTo(DEFAULT.items());
        assertThat(again.users()).usingRecursiveFieldByFieldElementComparator().isEqualTo(DEFAULT.users());

        CatalogSnapshot other = snapshot(new SyntheticSpec(200, 300, 30, 43));
        assertThat(other.items()).extracting(CatalogSnapshot.Item::title)
                .isNotEqualTo(DEFAULT.items().stream().map(CatalogSnapshot.Item::title).toList());
    }

    @Test
    void itemsHaveReadableUniqueTitlesAndOneToThreeNamedCategories() {
        assertThat(DEFAULT.items()).allSatisfy(item -> {
            assertThat(item.title()).matches("[A-Z][a-z]+ [A-Z][a-z]+ \\((19|20)\\d\\d\\)");
            assertThat(item.categories().length).isBetween(1, 3);
        });
        assertThat(DEFAULT.items().stream().map(CatalogSnapshot.Item::title).distinct()).hasSize(DEFAULT.items().size());
        assertThat(DEFAULT.categories()).containsExactlyInAnyOrderElementsOf(SyntheticCatalog.CATEGORIES);
    }

    @Test
    void defaultsAreSmallAndSurviveTheFiveCore() {
        assertThat(DEFAULT.users()).hasSize(200);
        assertThat(DEFAULT.items().size()).isBetween(200, 300);
        double meanLength = DEFAULT.users().stream().mapToInt(u -> u.items().length).average().orElseThrow();
        assertThat(meanLength).isBetween(25.0, 35.0);
    }

    @Test
    void usersConcentrateOnFewCategories() {
        // share of a user's items that fall in the user's two most frequent categories
        double userShare = DEFAULT.users().stream().mapToDouble(user -> topTwoShare(user.items())).average().orElseThrow();
        // the same measure for the catalog as a whole, as if every interaction came from one user
        int[] everything = DEFAULT.users().stream().flatMapToInt(user -> Arrays.stream(user.items())).toArray();
        // measured with the default seed: 0.73 per user against 0.41 for the catalog as a whole
        assertThat(userShare).isGreaterThan(0.65);
        assertThat(topTwoShare(everything)).isLessThan(userShare - 0.2);
    }

    @Test
    void orderCarriesSignalThatPopularityMisses() {
        // the simplest sequential model (what followed the last item in training) against popularity
        Map<Long, Integer> transitions = new HashMap<>();
        int[] popularity = new int[DEFAULT.items().size()];
        for (CatalogSnapshot.UserSequence user : DEFAULT.users()) {
            int[] training = user.training();
            for (int p = 0; p < training.length; p++) {
                popularity[training[p]]++;
                if (p > 0) {
                    transitions.merge(pair(training[p - 1], training[p]), 1, Integer::sum);
                }
            }
        }
        double popularityHits = 0;
        double sequentialHits = 0;
        for (CatalogSnapshot.UserSequence user : DEFAULT.users()) {
            int[] history = user.testHistory();
            int last = history[history.length - 1];
            popularityHits += hit(top10(history, item -> popularity[item]), user.testTarget());
            sequentialHits += hit(top10(history, item -> transitions.getOrDefault(pair(last, item), 0) * 10_000.0
                    + popularity[item]), user.testTarget());
        }
        double users = DEFAULT.users().size();
        // measured with the default seed: HR@10 0.61 against 0.075
        assertThat(sequentialHits / users).isGreaterThan(3 * popularityHits / users + 0.2);
    }

    @Test
    void rejectsSpecsItCannotHonour() {
        assertThatThrownBy(() -> new SyntheticSpec(0, 300, 30, 1)).isInstanceOf(InvalidDatasetException.class)
                .hasMessage("users must be between 1 and 1000000, was 0");
        assertThatThrownBy(() -> new SyntheticSpec(Integer.MAX_VALUE, 300, 30, 1)).isInstanceOf(InvalidDatasetException.class)
                .hasMessage("users must be between 1 and 1000000, was 2147483647");
        assertThatThrownBy(() -> new SyntheticSpec(1_000_000, 50_000, 26, 1)).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("users x interactions per user must be at most 25000000");
        assertThatThrownBy(() -> new SyntheticSpec(10, 40, 30, 1)).isInstanceOf(InvalidDatasetException.class)
                .hasMessage("interactions per user must be between 5 and half the items (20), was 30");
    }

    private static CatalogSnapshot snapshot(SyntheticSpec spec) {
        return DataProtocol.apply(SyntheticCatalog.generate(spec), DataProtocol.DEFAULT_MIN_COUNT).toSnapshot("synthetic");
    }

    private static double topTwoShare(int[] items) {
        int[] counts = new int[DEFAULT.categories().size()];
        for (int item : items) {
            for (int category : DEFAULT.items().get(item).categories()) {
                counts[category]++;
            }
        }
        int[] topTwo = IntStream.range(0, counts.length).boxed().sorted((a, b) -> counts[b] - counts[a]).limit(2)
                .mapToInt(Integer::intValue).toArray();
        long inTopTwo = Arrays.stream(items).filter(item -> Arrays.stream(DEFAULT.items().get(item).categories())
                .anyMatch(c -> c == topTwo[0] || c == topTwo[1])).count();
        return inTopTwo / (double) items.length;
    }

    private static int[] top10(int[] history, java.util.function.IntToDoubleFunction score) {
        Set<Integer> seen = new HashSet<>();
        Arrays.stream(history).forEach(seen::add);
        return IntStream.range(0, DEFAULT.items().size()).filter(item -> !seen.contains(item)).boxed()
                .sorted((a, b) -> Double.compare(score.applyAsDouble(b), score.applyAsDouble(a)))
                .limit(10).mapToInt(Integer::intValue).toArray();
    }

    private static int hit(int[] top, int target) {
        return Arrays.stream(top).anyMatch(item -> item == target) ? 1 : 0;
    }

    private static long pair(int from, int to) {
        return ((long) from << 32) | to;
    }
}
