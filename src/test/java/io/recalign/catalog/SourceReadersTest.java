package io.recalign.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every source format yields the same catalog from the same fixture data. */
class SourceReadersTest {

    static final List<String> folders = CatalogFixtures.FOLDERS;

    @ParameterizedTest
    @FieldSource("folders")
    void readsEveryRowAndItemOfTheSource(String folder) {
        SourceCatalog source = CatalogFixtures.read(folder);

        assertThat(source.items()).hasSize(7);
        assertThat(source.rows()).isEqualTo(23);
        assertThat(source.userIds()).containsExactly("1", "2", "3", "4", "5");
        assertThat(source.items().get(1).title()).isEqualTo("Iron Compass, The (1996)");
        assertThat(source.items().get(4).title()).isEqualTo("Café Lumière (1998)");
        assertThat(source.items().get(0).categories()).containsExactly("Drama", "Romance");
        assertThat(source.items().get(3).categories()).containsExactly("Comedy", "Drama");
    }

    @ParameterizedTest
    @FieldSource("folders")
    void protocolGivesTheSameFilteredCatalogForEveryFormat(String folder) {
        SourceCatalog source = CatalogFixtures.read(folder);

        CatalogSnapshot snapshot = DataProtocol.apply(source, CatalogFixtures.MIN_COUNT).toSnapshot("fixture");

        assertThat(snapshot.users()).extracting(CatalogSnapshot.UserSequence::externalId)
                .containsExactlyElementsOf(CatalogFixtures.KEPT_USERS);
        assertThat(snapshot.items()).extracting(CatalogSnapshot.Item::externalId)
                .containsExactlyElementsOf(CatalogFixtures.KEPT_ITEMS);
        assertThat(snapshot.items()).extracting(CatalogSnapshot.Item::title)
                .containsExactlyElementsOf(CatalogFixtures.KEPT_TITLES);
        assertThat(snapshot.categories()).containsExactlyElementsOf(CatalogFixtures.KEPT_CATEGORIES);
        assertThat(CatalogFixtures.sequences(snapshot)).isEqualTo(CatalogFixtures.SEQUENCES);
        // "(no genres listed)" in the CSV and ML-1M files, the "unknown" flag in ML-100K, [] in JSONL
        assertThat(snapshot.items().get(4).categories()).isEmpty();
        assertThat(Arrays.stream(snapshot.items().get(3).categories()).mapToObj(snapshot.categories()::get))
                .containsExactly("Comedy", "Drama");
    }
}
