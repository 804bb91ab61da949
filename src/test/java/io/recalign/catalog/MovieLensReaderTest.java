package io.recalign.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensReaderTest {

    @TempDir
    Path folder;

    private final MovieLensReader reader = new MovieLensReader();

    @Test
    void detectsEachLayoutFromItsFileNames() {
        assertThat(MovieLensReader.detect(CatalogFixtures.folder("movielens-csv"))).isEqualTo(MovieLensReader.Layout.CSV);
        assertThat(MovieLensReader.detect(CatalogFixtures.folder("movielens-100k"))).isEqualTo(MovieLensReader.Layout.ML_100K);
        assertThat(MovieLensReader.detect(CatalogFixtures.folder("movielens-1m"))).isEqualTo(MovieLensReader.Layout.ML_1M);
    }

    @Test
    void aFolderWithoutMovieLensFilesIsRejected() {
        assertThatThrownBy(() -> reader.read(folder)).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("no MovieLens files found").hasMessageContaining("u.data");
    }

    @Test
    void aLayoutWithOneFileMissingNamesTheMissingFile() throws IOException {
        write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\n");
        assertThatThrownBy(() -> reader.read(folder)).hasMessage("missing file movies.csv");

        Files.delete(folder.resolve("ratings.csv"));
        write("u.data", "1\t1\t4\t10\n");
        write("u.item", "");
        assertThatThrownBy(() -> reader.read(folder)).hasMessage("missing file u.genre");
    }

    @Test
    void quotedCsvTitlesKeepCommasAndQuotes() {
        assertThat(Csv.fields("11,\"American Picnic, The (1995)\",Comedy|Drama"))
                .containsExactly("11", "American Picnic, The (1995)", "Comedy|Drama");
        assertThat(Csv.fields("12,\"The \"\"Big\"\" One (1990)\",Drama"))
                .containsExactly("12", "The \"Big\" One (1990)", "Drama");
        assertThat(Csv.fields("13,\"Open quote (1990),Drama")).isNull();
    }

    @Test
    void malformedRatingLineNamesFileAndLine() throws IOException {
        write("movies.csv", "movieId,title,genres\n1,A (1990),Drama\n");
        write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\n1,1,4.0\n");
        assertThatThrownBy(() -> reader.read(folder)).isInstanceOf(InvalidDatasetException.class)
                .hasMessage("ratings.csv line 3: expected 4 comma-separated fields, found 3");
    }

    @Test
    void nonNumericFieldNamesFileAndLine() throws IOException {
        write("movies.csv", "movieId,title,genres\n1,A (1990),Drama\n");
        write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\n2,1,four,11\n");
        assertThatThrownBy(() -> reader.read(folder))
                .hasMessage("ratings.csv line 3: rating is not a number: 'four'");
    }

    @Test
    void ratingOfAnUnknownMovieIsRejected() throws IOException {
        write("movies.csv", "movieId,title,genres\n1,A (1990),Drama\n");
        write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\n1,99,4.0,11\n");
        assertThatThrownBy(() -> reader.read(folder))
                .hasMessage("ratings.csv line 3: unknown movie id 99 (not in movies.csv)");
    }

    @Test
    void unbalancedQuotesAndWrongHeaderAreMalformed() throws IOException {
        write("movies.csv", "movieId,title,genres\n1,\"A (1990),Drama\n");
        write("ratings.csv", "userId,movieId,rating,timestamp\n");
        assertThatThrownBy(() -> reader.read(folder)).hasMessage("movies.csv line 2: unbalanced quotes");

        write("movies.csv", "id,name,genres\n");
        assertThatThrownBy(() -> reader.read(folder))
                .hasMessage("movies.csv line 1: expected the header movieId,title,genres");
    }

    @Test
    void ml100kItemsNeedOneFlagPerGenre() throws IOException {
        write("u.genre", "unknown|0\nDrama|1\n\n");
        write("u.item", "1|A (1990)|01-Jan-1990||http://example.org|0|1\n2|B (1991)|01-Jan-1991||http://example.org|0\n");
        write("u.data", "1\t1\t4\t10\n");
        assertThatThrownBy(() -> reader.read(folder))
                .hasMessage("u.item line 2: expected 7 pipe-separated fields, found 6");
    }

    @Test
    void ml1mRatingsAreDoubleColonSeparated() throws IOException {
        Files.writeString(folder.resolve("movies.dat"), "1::Été (1990)::Drama\n", StandardCharsets.ISO_8859_1);
        write("ratings.dat", "1::1::5::978300760\n1::1::5\n");
        assertThatThrownBy(() -> reader.read(folder))
                .hasMessage("ratings.dat line 2: expected 4 '::'-separated fields, found 3");

        write("ratings.dat", "1::1::5::978300760\n");
        assertThat(reader.read(folder).items().get(0).title()).isEqualTo("Été (1990)");
    }

    @Test
    void invalidUtf8IsReportedWithItsLine() throws IOException {
        write("movies.csv", "movieId,title,genres\n1,A (1990),Drama\n");
        Files.write(folder.resolve("ratings.csv"), new byte[] {'u', 's', 'e', 'r', 'I', 'd', ',', 'm', 'o', 'v', 'i', 'e',
                'I', 'd', ',', 'r', 'a', 't', 'i', 'n', 'g', ',', 't', 'i', 'm', 'e', 's', 't', 'a', 'm', 'p', '\n',
                '1', ',', '1', ',', (byte) 0xff, ',', '1', '\n'});
        assertThatThrownBy(() -> reader.read(folder)).hasMessage("ratings.csv line 2: not valid UTF-8 text");
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(folder.resolve(name), content, StandardCharsets.UTF_8);
    }
}
