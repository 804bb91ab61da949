package io.recalign.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.recalign.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The real ml-latest-small from the shared folder next to the repository, when it is there. */
@IntegrationTest
class MovieLensSmallImportTest {

    private static final Path FOLDER = Path.of("../shared/datasets/ml-latest-small");

    @Autowired
    CatalogService catalog;

    @Test
    void importGivesTheFilteredCountsOfTheMethod() {
        assumeTrue(Files.isDirectory(FOLDER),
                () -> "skipped: " + FOLDER + " is not there (the shared datasets folder sits next to the repository)");

        DatasetSummary dataset = catalog.importDataset(new ImportRequest("ml-latest-small", "movielens",
                FOLDER.toString(), null));

        assertThat(dataset.sourceInteractions()).isEqualTo(100_836);
        assertThat(dataset.users()).isEqualTo(610);
        assertThat(dataset.items()).isEqualTo(3_650);
        assertThat(dataset.interactions()).isEqualTo(90_274);
        // 20 genres minus "(no genres listed)"
        assertThat(dataset.categories()).isEqualTo(19);

        CatalogSnapshot snapshot = catalog.snapshot("ml-latest-small");
        assertThat(snapshot.users()).hasSize(610).allSatisfy(user -> assertThat(user.items().length).isGreaterThanOrEqualTo(5));
        assertThat(snapshot.users().stream().mapToInt(user -> user.items().length).sum()).isEqualTo(90_274);
        assertThat(snapshot.categories()).doesNotContain(DataProtocol.NO_CATEGORY).contains("Sci-Fi", "Film-Noir");
        int toyStory = snapshot.itemByExternalId("1").orElseThrow();
        assertThat(snapshot.items().get(toyStory).title()).isEqualTo("Toy Story (1995)");
        assertThat(snapshot.itemByTitle("American President, The (1995)")).isPresent();
    }
}
