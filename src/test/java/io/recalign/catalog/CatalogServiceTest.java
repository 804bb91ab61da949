package io.recalign.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recalign.IntegrationTest;
import io.recalign.system.ConflictException;
import io.recalign.system.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Imports through the service into the embedded database, and reads them back. */
@IntegrationTest
class CatalogServiceTest {

    static final List<String> folders = CatalogFixtures.FOLDERS;

    @Autowired
    CatalogService catalog;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path temp;

    @ParameterizedTest
    @FieldSource("folders")
    void importsEveryFormatAndReadsTheSameSnapshotBack(String folder) {
        String name = "service-" + folder;
        DatasetSummary summary = catalog.importFolder(name, CatalogFixtures.format(folder),
                CatalogFixtures.folder(folder), CatalogFixtures.MIN_COUNT, folder);

        assertThat(summary).extracting(DatasetSummary::users, DatasetSummary::items, DatasetSummary::interactions,
                DatasetSummary::categories, DatasetSummary::sourceInteractions).containsExactly(3, 5, 15L, 4, 23L);
        assertThat(catalog.dataset(name)).isEqualTo(summary);

        CatalogSnapshot snapshot = catalog.snapshot(name);
        assertThat(snapshot.items()).extracting(CatalogSnapshot.Item::title)
                .containsExactlyElementsOf(CatalogFixtures.KEPT_TITLES);
        assertThat(snapshot.categories()).containsExactlyElementsOf(CatalogFixtures.KEPT_CATEGORIES);
        assertThat(CatalogFixtures.sequences(snapshot)).isEqualTo(CatalogFixtures.SEQUENCES);
        assertThat(catalog.snapshot(name)).isSameAs(snapshot);
        assertThat(snapshot.itemByTitle("Midnight Garden (1990) (2)")).hasValue(3);
        assertThat(snapshot.userByExternalId("2")).hasValue(1);
        assertThat(snapshot.categoryByName("Comedy")).hasValue(3);
    }

    @Test
    void storesTheLeaveOneOutSplitAndTheUsersHistory() {
        catalog.importFolder("service-split", DatasetFormat.MOVIELENS, CatalogFixtures.folder("movielens-csv"), 3, "csv");

        Map<String, Integer> splits = jdbc.sql("""
                        select split, count(*) from interactions x join datasets d on d.id = x.dataset_id
                        where d.name = 'service-split' group by split""")
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getInt(2))).list().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(splits).isEqualTo(Map.of("train", 9, "valid", 3, "test", 3));

        UserHistory history = catalog.history("service-split", "1");
        assertThat(history.interactions()).extracting(UserHistory.Entry::item).containsExactly("5", "1", "3", "4", "2");
        assertThat(history.interactions()).extracting(UserHistory.Entry::split)
                .containsExactly("train", "train", "train", "valid", "test");
        assertThat(history.interactions().get(0)).isEqualTo(
                new UserHistory.Entry(0, "5", "Café Lumière (1998)", 50, 4.5f, "train"));
        assertThatThrownBy(() -> catalog.history("service-split", "4")).isInstanceOf(NotFoundException.class)
                .hasMessage("no user '4' in dataset service-split");
    }

    @Test
    void duplicateNameIsAConflictAndChangesNothing() {
        catalog.importFolder("service-duplicate", DatasetFormat.JSONL, CatalogFixtures.folder("jsonl"), 3, "jsonl");
        long rows = interactionRows();

        assertThatThrownBy(() -> catalog.importDataset(new ImportRequest("service-duplicate", "movielens",
                CatalogFixtures.folder("movielens-csv").toString(), 3)))
                .isInstanceOf(ConflictException.class).hasMessage("a dataset named 'service-duplicate' already exists");
        assertThat(interactionRows()).isEqualTo(rows);
        assertThat(catalog.dataset("service-duplicate").format()).isEqualTo("jsonl");
    }

    @Test
    void aMalformedFileLeavesNoRowsBehind() throws IOException {
        Path folder = copyOfFixture("movielens-csv");
        Files.writeString(folder.resolve("ratings.csv"), "3,9,4.0,1\n", java.nio.file.StandardOpenOption.APPEND);
        long rows = interactionRows();

        assertThatThrownBy(() -> catalog.importFolder("service-malformed", DatasetFormat.MOVIELENS, folder, 3, "bad"))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessage("ratings.csv line 25: unknown movie id 9 (not in movies.csv)");
        assertThat(interactionRows()).isEqualTo(rows);
        assertThatThrownBy(() -> catalog.dataset("service-malformed")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void emptyAfterFilteringIsRejectedAndNothingIsStored() {
        assertThatThrownBy(() -> catalog.importFolder("service-empty", DatasetFormat.MOVIELENS,
                CatalogFixtures.folder("movielens-1m"), 6, "1m"))
                .isInstanceOf(InvalidDatasetException.class).hasMessageStartingWith("nothing left after the 6-core filter");
        assertThat(catalog.datasets()).extracting(DatasetSummary::name).doesNotContain("service-empty");
    }

    @Test
    void badRequestsAreRejectedBeforeReading() {
        assertThatThrownBy(() -> catalog.importDataset(new ImportRequest("service-x", "parquet", temp.toString(), null)))
                .isInstanceOf(InvalidDatasetException.class).hasMessage("unknown format 'parquet' (expected movielens or jsonl)");
        assertThatThrownBy(() -> catalog.importDataset(new ImportRequest("service-x", "jsonl", temp.resolve("nope").toString(), null)))
                .hasMessageStartingWith("no such folder: ");
        assertThatThrownBy(() -> catalog.importDataset(new ImportRequest("bad name/..", "jsonl", temp.toString(), null)))
                .hasMessageStartingWith("dataset name must be");
        assertThatThrownBy(() -> catalog.snapshot("service-never")).isInstanceOf(NotFoundException.class)
                .hasMessage("no dataset named 'service-never'");
    }

    @Test
    void syntheticCatalogIsStoredAsGenerated() {
        SyntheticSpec spec = new SyntheticSpec(60, 80, 15, 7);
        DatasetSummary summary = catalog.generateSynthetic("service-synthetic", spec);

        CatalogSnapshot expected = DataProtocol.apply(SyntheticCatalog.generate(spec), 5).toSnapshot("service-synthetic");
        CatalogSnapshot stored = catalog.snapshot("service-synthetic");
        assertThat(summary.format()).isEqualTo("synthetic");
        assertThat(summary.users()).isEqualTo(expected.users().size());
        assertThat(stored.items()).usingRecursiveFieldByFieldElementComparator().isEqualTo(expected.items());
        assertThat(stored.users()).usingRecursiveFieldByFieldElementComparator().isEqualTo(expected.users());
        assertThat(stored.categories()).isEqualTo(expected.categories());
    }

    private long interactionRows() {
        return jdbc.sql("select count(*) from interactions").query(Long.class).single();
    }

    private Path copyOfFixture(String name) throws IOException {
        Path copy = Files.createDirectories(temp.resolve(name));
        try (var files = Files.list(CatalogFixtures.folder(name))) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }
}
