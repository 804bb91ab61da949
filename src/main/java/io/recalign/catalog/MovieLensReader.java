package io.recalign.catalog;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MovieLens in its original layouts, detected from the file names: ml-latest-small / ml-25m
 * ({@code ratings.csv} + {@code movies.csv}), ML-100K ({@code u.data} + {@code u.item} + {@code u.genre})
 * and ML-1M ({@code ratings.dat} + {@code movies.dat}).
 */
final class MovieLensReader implements SourceReader {

    /** ML-100K marks items without a genre with the flag "unknown"; like "(no genres listed)" it means none. */
    private static final String ML100K_NO_GENRE = "unknown";

    enum Layout { CSV, ML_100K, ML_1M }

    @Override
    public SourceCatalog read(Path folder) throws IOException {
        return switch (detect(folder)) {
            case CSV -> readCsv(folder);
            case ML_100K -> read100k(folder);
            case ML_1M -> read1m(folder);
        };
    }

    static Layout detect(Path folder) {
        if (present(folder, "ratings.csv", "movies.csv")) {
            return Layout.CSV;
        }
        if (present(folder, "u.data", "u.item", "u.genre")) {
            return Layout.ML_100K;
        }
        if (present(folder, "ratings.dat", "movies.dat")) {
            return Layout.ML_1M;
        }
        throw new InvalidDatasetException("no MovieLens files found: expected ratings.csv + movies.csv"
                + " (ml-latest-small, ml-25m), u.data + u.item + u.genre (ML-100K) or ratings.dat + movies.dat (ML-1M)");
    }

    /** True when any of the files is there; then all must be (a half-present layout is a missing file). */
    private static boolean present(Path folder, String... names) {
        if (Arrays.stream(names).noneMatch(name -> Files.exists(folder.resolve(name)))) {
            return false;
        }
        Arrays.stream(names).forEach(name -> SourceFile.require(folder, name));
        return true;
    }

    // ml-latest-small / ml-25m: RFC 4180 CSV with a header, UTF-8.

    private SourceCatalog readCsv(Path folder) throws IOException {
        SourceCatalog catalog = new SourceCatalog();
        try (SourceFile movies = SourceFile.open(folder, "movies.csv", StandardCharsets.UTF_8)) {
            expectHeader(movies, "movieId,title,genres");
            for (String line = movies.next(); line != null; line = movies.next()) {
                if (line.isEmpty()) {
                    continue;
                }
                List<String> fields = Csv.fields(line);
                if (fields == null) {
                    throw movies.error("unbalanced quotes");
                }
                expectFields(movies, fields.size(), 3, "comma");
                addItem(catalog, movies, fields.get(0), fields.get(1), splitGenres(fields.get(2)));
            }
        }
        try (SourceFile ratings = SourceFile.open(folder, "ratings.csv", StandardCharsets.UTF_8)) {
            expectHeader(ratings, "userId,movieId,rating,timestamp");
            for (String line = ratings.next(); line != null; line = ratings.next()) {
                if (!line.isEmpty()) {
                    addRating(catalog, ratings, split(line, ",", 4, ratings, "comma"), "movies.csv");
                }
            }
        }
        return catalog;
    }

    private static void expectHeader(SourceFile file, String header) throws IOException {
        String first = file.next();
        if (first == null || !first.strip().replace("\uFEFF", "").equals(header)) {
            throw file.error("expected the header " + header);
        }
    }

    // ML-100K: u.genre "name|index", u.item pipe-separated with 19 genre flags, u.data tab-separated; latin-1.

    private SourceCatalog read100k(Path folder) throws IOException {
        List<String> genres = new ArrayList<>();
        try (SourceFile genreFile = SourceFile.open(folder, "u.genre", StandardCharsets.ISO_8859_1)) {
            for (String line = genreFile.next(); line != null; line = genreFile.next()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = split(line, "|", 2, genreFile, "pipe");
                if (genreFile.parseLong(fields[1], "genre index") != genres.size()) {
                    throw genreFile.error("genre index " + fields[1].trim() + " out of order, expected " + genres.size());
                }
                genres.add(fields[0]);
            }
        }
        SourceCatalog catalog = new SourceCatalog();
        try (SourceFile items = SourceFile.open(folder, "u.item", StandardCharsets.ISO_8859_1)) {
            int columns = 5 + genres.size();
            for (String line = items.next(); line != null; line = items.next()) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] fields = split(line, "|", columns, items, "pipe");
                List<String> itemGenres = new ArrayList<>();
                for (int g = 0; g < genres.size(); g++) {
                    String flag = fields[5 + g].trim();
                    if (!flag.equals("0") && !flag.equals("1")) {
                        throw items.error("genre flag " + genres.get(g) + " must be 0 or 1, was '" + flag + "'");
                    }
                    if (flag.equals("1") && !genres.get(g).equals(ML100K_NO_GENRE)) {
                        itemGenres.add(genres.get(g));
                    }
                }
                addItem(catalog, items, fields[0], fields[1], itemGenres);
            }
        }
        readRatings(folder, "u.data", "\t", "tab", StandardCharsets.ISO_8859_1, catalog, "u.item");
        return catalog;
    }

    // ML-1M: "::"-separated, latin-1, no header.

    private SourceCatalog read1m(Path folder) throws IOException {
        SourceCatalog catalog = new SourceCatalog();
        try (SourceFile movies = SourceFile.open(folder, "movies.dat", StandardCharsets.ISO_8859_1)) {
            for (String line = movies.next(); line != null; line = movies.next()) {
                if (line.isEmpty()) {
                    continue;
                }
                int first = line.indexOf("::");
                int last = line.lastIndexOf("::");
                if (first < 0 || last == first) {
                    throw movies.error("expected 3 '::'-separated fields (MovieID::Title::Genres)");
                }
                addItem(catalog, movies, line.substring(0, first), line.substring(first + 2, last),
                        splitGenres(line.substring(last + 2)));
            }
        }
        readRatings(folder, "ratings.dat", "::", "'::'", StandardCharsets.ISO_8859_1, catalog, "movies.dat");
        return catalog;
    }

    private static void readRatings(Path folder, String name, String separator, String separatorName,
            Charset charset, SourceCatalog catalog, String itemFile) throws IOException {
        try (SourceFile ratings = SourceFile.open(folder, name, charset)) {
            for (String line = ratings.next(); line != null; line = ratings.next()) {
                if (!line.isEmpty()) {
                    addRating(catalog, ratings, split(line, separator, 4, ratings, separatorName), itemFile);
                }
            }
        }
    }

    /** user, item, rating, timestamp, the column order of every MovieLens ratings file. */
    private static void addRating(SourceCatalog catalog, SourceFile file, String[] fields, String itemFile) {
        String user = fields[0].trim();
        if (user.isEmpty()) {
            throw file.error("empty user id");
        }
        String movie = fields[1].trim();
        int item = catalog.itemIndex(movie);
        if (item < 0) {
            throw file.error("unknown movie id " + movie + " (not in " + itemFile + ")");
        }
        float rating = file.parseFloat(fields[2], "rating");
        long timestamp = file.parseLong(fields[3], "timestamp");
        catalog.addInteraction(user, item, timestamp, rating);
    }

    private static void addItem(SourceCatalog catalog, SourceFile file, String id, String title, List<String> genres) {
        String externalId = id.trim();
        String cleanTitle = title.strip();
        if (externalId.isEmpty()) {
            throw file.error("empty movie id");
        }
        if (cleanTitle.isEmpty()) {
            throw file.error("empty title for movie " + externalId);
        }
        file.oneLine(cleanTitle, "title");
        genres.forEach(genre -> file.oneLine(genre, "genre"));
        if (!catalog.addItem(externalId, cleanTitle, genres)) {
            throw file.error("duplicate movie id " + externalId);
        }
    }

    private static List<String> splitGenres(String genres) {
        return genres.isBlank() ? List.of() : Arrays.stream(genres.split("\\|")).map(String::strip).toList();
    }

    /** Exactly {@code count} fields separated by {@code separator}, or a malformed-line error. */
    private static String[] split(String line, String separator, int count, SourceFile file, String separatorName) {
        String[] fields = new String[count];
        int start = 0;
        for (int f = 0; f < count - 1; f++) {
            int end = line.indexOf(separator, start);
            if (end < 0) {
                throw fieldCountError(file, count, f + 1, separatorName);
            }
            fields[f] = line.substring(start, end);
            start = end + separator.length();
        }
        if (line.indexOf(separator, start) >= 0) {
            throw file.error("expected " + count + " " + separatorName + "-separated fields, found more");
        }
        fields[count - 1] = line.substring(start);
        return fields;
    }

    private static void expectFields(SourceFile file, int found, int expected, String separatorName) {
        if (found != expected) {
            throw fieldCountError(file, expected, found, separatorName);
        }
    }

    private static InvalidDatasetException fieldCountError(SourceFile file, int expected, int found, String separatorName) {
        return file.error("expected " + expected + " " + separatorName + "-separated fields, found " + found);
    }
}
