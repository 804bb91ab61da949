package io.recalign.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The documented format for anyone's own data, one JSON object per line (UTF-8, blank lines ignored):
 * {@code items.jsonl} with {@code {"id", "title", "categories": [...]}} and {@code interactions.jsonl}
 * with {@code {"user", "item", "timestamp", "rating"?}}. Ids may be strings or integers; a timestamp is
 * an integer (such as seconds since the epoch) or an ISO-8601 instant.
 */
final class JsonlReader implements SourceReader {

    static final String ITEMS = "items.jsonl";
    static final String INTERACTIONS = "interactions.jsonl";

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public SourceCatalog read(Path folder) throws IOException {
        SourceFile.require(folder, ITEMS);
        SourceFile.require(folder, INTERACTIONS);
        SourceCatalog catalog = new SourceCatalog();
        try (SourceFile items = SourceFile.open(folder, ITEMS, StandardCharsets.UTF_8)) {
            for (String line = items.next(); line != null; line = items.next()) {
                if (!line.isBlank()) {
                    addItem(catalog, items, object(items, line));
                }
            }
        }
        try (SourceFile interactions = SourceFile.open(folder, INTERACTIONS, StandardCharsets.UTF_8)) {
            for (String line = interactions.next(); line != null; line = interactions.next()) {
                if (!line.isBlank()) {
                    addInteraction(catalog, interactions, object(interactions, line));
                }
            }
        }
        return catalog;
    }

    private JsonNode object(SourceFile file, String line) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JacksonException e) {
            throw file.error("not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw file.error("expected a JSON object");
        }
        return node;
    }

    private static void addItem(SourceCatalog catalog, SourceFile file, JsonNode node) {
        String id = id(file, node, "id");
        JsonNode title = node.get("title");
        if (title == null || !title.isString() || title.stringValue().isBlank()) {
            throw file.error("\"title\" must be a non-empty string");
        }
        List<String> categories = new ArrayList<>();
        JsonNode list = node.get("categories");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw file.error("\"categories\" must be an array of strings");
            }
            for (JsonNode category : list) {
                if (!category.isString()) {
                    throw file.error("\"categories\" must be an array of strings");
                }
                categories.add(file.oneLine(category.stringValue().strip(), "category"));
            }
        }
        if (!catalog.addItem(id, file.oneLine(title.stringValue().strip(), "\"title\""), categories)) {
            throw file.error("duplicate item id " + id);
        }
    }

    private static void addInteraction(SourceCatalog catalog, SourceFile file, JsonNode node) {
        String user = id(file, node, "user");
        String itemId = id(file, node, "item");
        int item = catalog.itemIndex(itemId);
        if (item < 0) {
            throw file.error("unknown item " + itemId + " (not in " + ITEMS + ")");
        }
        catalog.addInteraction(user, item, timestamp(file, node.get("timestamp")), rating(file, node.get("rating")));
    }

    /** A string or integer id, as text. */
    private static String id(SourceFile file, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value != null && value.isString() && !value.stringValue().isBlank()) {
            return value.stringValue().strip();
        }
        if (value != null && value.isIntegralNumber()) {
            return value.asString();
        }
        throw file.error("\"" + field + "\" must be a non-empty string or an integer");
    }

    private static long timestamp(SourceFile file, JsonNode value) {
        if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value != null && value.isString()) {
            try {
                return Instant.parse(value.stringValue().strip()).getEpochSecond();
            } catch (DateTimeParseException e) {
                throw file.error("\"timestamp\" is not an ISO-8601 instant: '" + value.stringValue() + "'");
            }
        }
        throw file.error("\"timestamp\" must be an integer or an ISO-8601 instant such as 2024-05-01T12:00:00Z");
    }

    private static float rating(SourceFile file, JsonNode value) {
        if (value == null || value.isNull()) {
            return Float.NaN;
        }
        if (!value.isNumber()) {
            throw file.error("\"rating\" must be a number when present");
        }
        return value.floatValue();
    }
}
