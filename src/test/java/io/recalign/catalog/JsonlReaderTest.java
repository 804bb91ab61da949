package io.recalign.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlReaderTest {

    private static final String ITEMS = """
            {"id": "a", "title": "Alpha (2001)", "categories": ["Drama"]}
            {"id": 7, "title": "Beta (2002)"}
            """;

    @TempDir
    Path folder;

    private final JsonlReader reader = new JsonlReader();

    @Test
    void readsOptionalRatingsAndIsoTimestamps() throws IOException {
        write(ITEMS, """
                {"user": "u1", "item": "a", "timestamp": "2024-05-01T12:00:00Z", "rating": 4.5}
                {"user": 3, "item": 7, "timestamp": 1714564800}
                """);
        SourceCatalog source = reader.read(folder);

        assertThat(source.items()).extracting(SourceCatalog.Item::externalId).containsExactly("a", "7");
        assertThat(source.items().get(1).categories()).isEmpty();
        assertThat(source.userIds()).containsExactly("u1", "3");
        assertThat(source.timestamp(0)).isEqualTo(1714564800L);
        assertThat(source.rating(0)).isEqualTo(4.5f);
        assertThat(source.rating(1)).isNaN();
    }

    @Test
    void eachFileMustBeThere() throws IOException {
        Files.writeString(folder.resolve("items.jsonl"), ITEMS);
        assertThatThrownBy(() -> reader.read(folder)).isInstanceOf(InvalidDatasetException.class)
                .hasMessage("missing file interactions.jsonl");
    }

    @Test
    void invalidJsonNamesFileAndLine() throws IOException {
        write(ITEMS, """
                {"user": "u1", "item": "a", "timestamp": 1}

                {"user": "u1", "item": "a", "timestamp": 2
                """);
        assertThatThrownBy(() -> reader.read(folder)).hasMessageStartingWith("interactions.jsonl line 3: not valid JSON");
    }

    @Test
    void unknownItemIsRejected() throws IOException {
        write(ITEMS, "{\"user\": \"u1\", \"item\": \"zeta\", \"timestamp\": 1}\n");
        assertThatThrownBy(() -> reader.read(folder))
                .hasMessage("interactions.jsonl line 1: unknown item zeta (not in items.jsonl)");
    }

    @Test
    void itemsNeedATitleAndAUniqueId() throws IOException {
        write("{\"id\": \"a\", \"categories\": []}\n", "");
        assertThatThrownBy(() -> reader.read(folder)).hasMessage("items.jsonl line 1: \"title\" must be a non-empty string");

        write(ITEMS + "{\"id\": \"a\", \"title\": \"Again\"}\n", "");
        assertThatThrownBy(() -> reader.read(folder)).hasMessage("items.jsonl line 3: duplicate item id a");

        write("{\"id\": \"a\", \"title\": \"A\", \"categories\": \"Drama\"}\n", "");
        assertThatThrownBy(() -> reader.read(folder))
                .hasMessage("items.jsonl line 1: \"categories\" must be an array of strings");
    }

    @Test
    void timestampMustBeAnIntegerOrAnInstant() throws IOException {
        write(ITEMS, "{\"user\": \"u1\", \"item\": \"a\", \"timestamp\": \"yesterday\"}\n");
        assertThatThrownBy(() -> reader.read(folder))
                .hasMessage("interactions.jsonl line 1: \"timestamp\" is not an ISO-8601 instant: 'yesterday'");

        write(ITEMS, "{\"user\": \"u1\", \"item\": \"a\"}\n");
        assertThatThrownBy(() -> reader.read(folder)).hasMessageStartingWith(
                "interactions.jsonl line 1: \"timestamp\" must be an integer or an ISO-8601 instant");
    }

    private void write(String items, String interactions) throws IOException {
        Files.writeString(folder.resolve("items.jsonl"), items);
        Files.writeString(folder.resolve("interactions.jsonl"), interactions);
    }
}
