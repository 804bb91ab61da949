package io.recalign.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fixture catalog, written at test time once per source format into a temporary folder: seven
 * movies and 23 ratings from five users, with the quirks each format has (a quoted CSV title, latin-1
 * titles and genre flags in ML-100K, integer ML-1M ratings, users as numbers or strings and optional
 * ratings in JSONL). With min-count 3 the k-core needs four dropping passes (movie 7, then user 5,
 * then movie 6, then user 4) and leaves three users.
 */
public final class CatalogFixtures {

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

    private record Movie(String id, String title, List<String> genres) {
    }

    private record Rating(String user, String movie, double rating, long timestamp) {
    }

    private static final List<Movie> MOVIES = List.of(
            new Movie("1", "Harbor Lights (1994)", List.of("Drama", "Romance")),
            new Movie("2", "Iron Compass, The (1996)", List.of("Adventure")),
            new Movie("3", "Midnight Garden (1990)", List.of("Comedy")),
            new Movie("4", "Midnight Garden (1990)", List.of("Comedy", "Drama")),
            new Movie("5", "Café Lumière (1998)", List.of()),
            new Movie("6", "Hollow Signal (1988)", List.of("Drama")),
            new Movie("7", "Paper Moon Station (2000)", List.of("Comedy")));

    /** In file order, which decides ties of equal timestamps (user 1: movies 3 and 4; user 2: 4 and 3). */
    private static final List<Rating> RATINGS = List.of(
            new Rating("1", "1", 4.0, 100), new Rating("1", "2", 3.5, 300), new Rating("1", "3", 5.0, 200),
            new Rating("1", "4", 2.0, 200), new Rating("1", "5", 4.5, 50), new Rating("1", "6", 1.0, 400),
            new Rating("2", "4", 3.0, 500), new Rating("2", "3", 4.0, 500), new Rating("2", "1", 5.0, 10),
            new Rating("2", "2", 2.5, 20), new Rating("2", "5", 3.0, 30),
            new Rating("3", "1", 4.0, 1000), new Rating("3", "2", 4.0, 1001), new Rating("3", "3", 3.0, 1002),
            new Rating("3", "7", 2.0, 999), new Rating("3", "4", 5.0, 1003), new Rating("3", "5", 1.5, 1004),
            new Rating("4", "6", 3.0, 10), new Rating("4", "1", 4.0, 20), new Rating("4", "2", 5.0, 30),
            new Rating("5", "7", 4.0, 5), new Rating("5", "6", 3.0, 6), new Rating("5", "1", 2.0, 7));

    /** The genre list of ML-100K's u.genre, in flag order. */
    private static final List<String> ML100K_GENRES = List.of("unknown", "Action", "Adventure", "Animation",
            "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical",
            "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");

    private static Path root;

    private CatalogFixtures() {
    }

    /** The folder holding the fixture catalog in one source format (one of {@link #FOLDERS}). */
    public static synchronized Path folder(String name) {
        if (!FOLDERS.contains(name)) {
            throw new IllegalArgumentException("no fixture catalog " + name);
        }
        try {
            if (root == null) {
                Path written = Files.createTempDirectory("recalign-catalog-fixtures");
                writeCsv(Files.createDirectory(written.resolve("movielens-csv")));
                write100k(Files.createDirectory(written.resolve("movielens-100k")));
                write1m(Files.createDirectory(written.resolve("movielens-1m")));
                writeJsonl(Files.createDirectory(written.resolve("jsonl")));
                root = written;
            }
            return root.resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeCsv(Path folder) throws IOException {
        List<String> movies = new ArrayList<>(List.of("movieId,title,genres"));
        MOVIES.forEach(m -> movies.add(String.join(",", m.id(), m.title().contains(",") ? '"' + m.title() + '"' : m.title(),
                m.genres().isEmpty() ? "(no genres listed)" : String.join("|", m.genres()))));
        List<String> ratings = new ArrayList<>(List.of("userId,movieId,rating,timestamp"));
        RATINGS.forEach(r -> ratings.add(String.join(",", r.user(), r.movie(), Double.toString(r.rating()),
                Long.toString(r.timestamp()))));
        Files.write(folder.resolve("movies.csv"), movies, StandardCharsets.UTF_8);
        Files.write(folder.resolve("ratings.csv"), ratings, StandardCharsets.UTF_8);
    }

    /** ML-100K: latin-1, genres as flags, and ratings interleaved across users (u.data is not grouped). */
    private static void write100k(Path folder) throws IOException {
        List<String> items = MOVIES.stream().map(m -> {
            String year = m.title().substring(m.title().length() - 5, m.title().length() - 1);
            String flags = ML100K_GENRES.stream().map(g -> m.genres().contains(g) ? "1" : "0").collect(Collectors.joining("|"));
            return String.join("|", m.id(), m.title(), "01-Jan-" + year, "",
                    "http://us.imdb.com/M/title-exact?" + m.title().replace(" ", "%20"), flags);
        }).toList();
        List<String> genres = new ArrayList<>();
        for (int i = 0; i < ML100K_GENRES.size(); i++) {
            genres.add(ML100K_GENRES.get(i) + "|" + i);
        }
        Map<String, List<Rating>> byUser = RATINGS.stream().collect(
                Collectors.groupingBy(Rating::user, LinkedHashMap::new, Collectors.toList()));
        List<String> data = new ArrayList<>();
        for (int row = 0; data.size() < RATINGS.size(); row++) {
            for (List<Rating> user : byUser.values()) {
                if (row < user.size()) {
                    Rating r = user.get(row);
                    data.add(String.join("\t", r.user(), r.movie(), Long.toString(Math.round(Math.rint(r.rating()))),
                            Long.toString(r.timestamp())));
                }
            }
        }
        Files.write(folder.resolve("u.item"), items, StandardCharsets.ISO_8859_1);
        Files.write(folder.resolve("u.genre"), genres, StandardCharsets.ISO_8859_1);
        Files.write(folder.resolve("u.data"), data, StandardCharsets.ISO_8859_1);
    }

    /** ML-1M: latin-1, '::' separated, integer ratings. */
    private static void write1m(Path folder) throws IOException {
        List<String> movies = MOVIES.stream().map(m -> String.join("::", m.id(), m.title(),
                m.genres().isEmpty() ? "(no genres listed)" : String.join("|", m.genres()))).toList();
        List<String> ratings = RATINGS.stream().map(r -> String.join("::", r.user(), r.movie(),
                Long.toString(Math.round(Math.rint(r.rating()))), Long.toString(r.timestamp()))).toList();
        Files.write(folder.resolve("movies.dat"), movies, StandardCharsets.ISO_8859_1);
        Files.write(folder.resolve("ratings.dat"), ratings, StandardCharsets.ISO_8859_1);
    }

    /** JSONL: users alternate between numbers and strings, every third rating is missing, one blank line. */
    private static void writeJsonl(Path folder) throws IOException {
        List<String> items = MOVIES.stream().map(m -> "{\"id\": " + m.id() + ", \"title\": \"" + m.title()
                + "\", \"categories\": [" + m.genres().stream().map(g -> '"' + g + '"').collect(Collectors.joining(", "))
                + "]}").toList();
        List<String> interactions = new ArrayList<>();
        for (int i = 0; i < RATINGS.size(); i++) {
            Rating r = RATINGS.get(i);
            String user = i % 2 == 0 ? r.user() : '"' + r.user() + '"';
            String rating = i % 3 == 0 ? "" : ", \"rating\": " + r.rating();
            interactions.add("{\"user\": " + user + ", \"item\": \"" + r.movie() + "\", \"timestamp\": "
                    + r.timestamp() + rating + "}");
            if (i == 10) {
                interactions.add("");
            }
        }
        Files.write(folder.resolve("items.jsonl"), items, StandardCharsets.UTF_8);
        Files.write(folder.resolve("interactions.jsonl"), interactions, StandardCharsets.UTF_8);
    }

    /** The fixture folder read by its format's reader, before the protocol. */
    static SourceCatalog read(String folder) {
        try {
            return format(folder).reader().read(folder(folder));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
