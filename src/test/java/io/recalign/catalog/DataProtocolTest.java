package io.recalign.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DataProtocolTest {

    @Test
    void ordersByTimestampAndBreaksTiesBySourceRow() {
        SourceCatalog source = catalog(6);
        // rows out of time order with two ties (items 2/3 at t=20 and 5/4 at t=40); three users with the
        // same rows so that every item passes the 3-core
        addForThreeUsers(source, 5, 40);
        addForThreeUsers(source, 2, 20);
        addForThreeUsers(source, 0, 10);
        addForThreeUsers(source, 3, 20);
        addForThreeUsers(source, 4, 40);
        addForThreeUsers(source, 1, 5);

        PreparedCatalog prepared = DataProtocol.apply(source, 3);

        for (int user = 0; user < 3; user++) {
            assertThat(externalIds(prepared, user)).containsExactly("i1", "i0", "i2", "i3", "i5", "i4");
        }
        assertThat(prepared.timestamps()).startsWith(5, 10, 20, 20, 40, 40);
    }

    @Test
    void sortsLongSequencesStablyToo() {
        int length = 500;
        SourceCatalog source = catalog(length);
        for (int i = 0; i < length; i++) {
            addForThreeUsers(source, i, (length - i) / 10); // descending blocks of ten equal timestamps
        }
        PreparedCatalog prepared = DataProtocol.apply(source, 3);

        List<Integer> expected = IntStream.range(0, length).boxed()
                .sorted((a, b) -> Integer.compare((length - a) / 10, (length - b) / 10)) // List.sort is stable
                .toList();
        assertThat(IntStream.of(prepared.sequenceItems()).limit(length).boxed().toList()).isEqualTo(expected);
    }

    @Test
    void kCoreRepeatsUntilStable() {
        SourceCatalog source = CatalogFixtures.read("movielens-csv");

        boolean[] kept = DataProtocol.kCore(source, 3);

        // a single pass would only drop movie 7; the cascade also drops user 5, movie 6 and user 4
        int keptRows = 0;
        for (int r = 0; r < kept.length; r++) {
            if (kept[r]) {
                keptRows++;
                assertThat(source.userIds().get(source.user(r))).isIn("1", "2", "3");
                assertThat(source.items().get(source.item(r)).externalId()).isIn("1", "2", "3", "4", "5");
            }
        }
        assertThat(keptRows).isEqualTo(15);
    }

    @Test
    void kCoreKeepsEverythingThatAlreadyQualifies() {
        SourceCatalog source = catalog(3);
        for (String user : List.of("a", "b", "c")) {
            for (int item = 0; item < 3; item++) {
                add(source, user, item, item);
            }
        }
        boolean[] kept = DataProtocol.kCore(source, 3);
        assertThat(kept).containsOnly(true);
        assertThat(DataProtocol.kCore(source, 4)).containsOnly(false);
    }

    @Test
    void leaveOneOutSplitsEverySequence() {
        assertThat(IntStream.range(0, 5).mapToObj(p -> Split.of(p, 5)))
                .containsExactly(Split.TRAIN, Split.TRAIN, Split.TRAIN, Split.VALID, Split.TEST);

        CatalogSnapshot snapshot = DataProtocol.apply(CatalogFixtures.read("movielens-csv"), 3).toSnapshot("f");
        CatalogSnapshot.UserSequence first = snapshot.users().get(0); // 5, 1, 3, 4, 2
        assertThat(first.training()).containsExactly(index(snapshot, "5"), index(snapshot, "1"), index(snapshot, "3"));
        assertThat(first.validationTarget()).isEqualTo(index(snapshot, "4"));
        assertThat(first.testTarget()).isEqualTo(index(snapshot, "2"));
    }

    @Test
    void laterDuplicateTitlesGetANumber() {
        assertThat(DataProtocol.uniqueTitles(List.of("A", "B", "A", "A", "B", "C")))
                .containsExactly("A", "B", "A (2)", "A (3)", "B (2)", "C");
        // a title that already looks like a numbered duplicate is not overwritten
        assertThat(DataProtocol.uniqueTitles(List.of("A", "A (2)", "A")))
                .containsExactly("A", "A (2)", "A (3)");
    }

    @Test
    void noGenresListedMeansNoCategory() {
        SourceCatalog source = new SourceCatalog();
        source.addItem("x", "X", List.of(DataProtocol.NO_CATEGORY));
        source.addItem("y", "Y", List.of("Drama", "Drama", "Comedy"));
        for (String user : List.of("a", "b", "c")) {
            add(source, user, 0, 1);
            add(source, user, 1, 2);
            add(source, user, 1, 3);
        }
        CatalogSnapshot snapshot = DataProtocol.apply(source, 3).toSnapshot("d");

        assertThat(snapshot.categories()).containsExactly("Drama", "Comedy");
        assertThat(snapshot.items().get(0).categories()).isEmpty();
        assertThat(snapshot.items().get(1).categories()).containsExactly(0, 1);
    }

    @Test
    void rejectsTooSmallMinCountAndEmptyResults() {
        SourceCatalog source = catalog(2);
        add(source, "u", 0, 1);
        add(source, "u", 1, 2);
        assertThatThrownBy(() -> DataProtocol.apply(source, 2)).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("min-count must be at least 3");
        assertThatThrownBy(() -> DataProtocol.apply(source, 5)).isInstanceOf(InvalidDatasetException.class)
                .hasMessage("nothing left after the 5-core filter (2 interactions, 1 users, 2 items before filtering)");
    }

    private static SourceCatalog catalog(int items) {
        SourceCatalog source = new SourceCatalog();
        for (int i = 0; i < items; i++) {
            source.addItem("i" + i, "Item " + i, List.of());
        }
        return source;
    }

    private static void add(SourceCatalog source, String user, int item, long timestamp) {
        source.addInteraction(user, item, timestamp, Float.NaN);
    }

    private static void addForThreeUsers(SourceCatalog source, int item, long timestamp) {
        for (String user : List.of("u", "v", "w")) {
            add(source, user, item, timestamp);
        }
    }

    private static List<String> externalIds(PreparedCatalog prepared, int user) {
        return IntStream.range(prepared.sequenceStarts()[user], prepared.sequenceStarts()[user + 1])
                .mapToObj(i -> prepared.items().get(prepared.sequenceItems()[i]).externalId()).toList();
    }

    private static int index(CatalogSnapshot snapshot, String externalId) {
        return IntStream.range(0, snapshot.items().size())
                .filter(i -> snapshot.items().get(i).externalId().equals(externalId)).findFirst().orElseThrow();
    }
}
