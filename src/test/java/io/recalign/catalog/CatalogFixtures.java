package io.recalign.catalog;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The hand-made fixture catalog under src/test/resources/catalog, written once per source format. All
 * copies hold the same seven movies and 23 ratings from five users; with min-count 3 the k-core needs
 * four dropping passes (movie 7, then user 5, then movie 6, then user 4) and leaves three users.
 */
final class CatalogFixtures {

    static final int MIN_COUNT = 3;
    static final List<String> FOLDERS = List.of("movielens-csv", "movielens-100k", "movielens-1m", "jsonl");
    static final List<String> KEPT_USERS = List.of("1", "2", "3");
    static final List<String> KEPT_ITEMS = List.of("1", "2", "3", "4", "5");
    static final List<String> KEPT_TITLES = List.of("Harbor Lights (1994)", "Iron Compass, The (1996)",
            "Midnight Garden (1990)", "Midnight Garden (1990) (2)", "Café Lumière (1998)");
    static final List<String> KEPT_CATEGORIES = List.of("Drama", "Romance", "Adventure", "Comedy");
    /** Each kept user's sequence by item external id: timestamp order, ties in file order. */
    static final Map<String, List<String>> SEQUENCES = Map.of(
            "1", List.of("5", "1", "3", "4", "2"),
            "2", List.of("1", "2", "5", "4", "3"),
            "3", List.of("1", "2", "3", "4", "5"));

    private CatalogFixtures() {
    }

    static Path folder(String name) {
        try {
            return Path.of(CatalogFixtures.class.getResource("/catalog/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixture folder read by its format's reader, before the protocol. */
    static SourceCatalog read(String folder) {
        try {
            return format(folder).reader().read(folder(folder));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static DatasetFormat format(String folder) {
        return folder.equals("jsonl") ? DatasetFormat.JSONL : DatasetFormat.MOVIELENS;
    }

    /** A user's sequence in a snapshot, as item external ids. */
    static List<String> sequence(CatalogSnapshot snapshot, CatalogSnapshot.UserSequence user) {
        return Arrays.stream(user.items()).mapToObj(i -> snapshot.items().get(i).externalId()).toList();
    }

    static Map<String, List<String>> sequences(CatalogSnapshot snapshot) {
        return snapshot.users().stream().collect(Collectors.toMap(CatalogSnapshot.UserSequence::externalId,
                user -> sequence(snapshot, user)));
    }
}
