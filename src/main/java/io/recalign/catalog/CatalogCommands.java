package io.recalign.catalog;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** What the catalog's commands print: a human line, then with {@code --json} one JSON object as the last line. */
final class CatalogCommands {

    private static final JsonMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private CatalogCommands() {
    }

    /** The counts after the protocol, as the {@code import} and {@code synthetic} commands report them. */
    static void printStored(PrintWriter out, DatasetSummary dataset, boolean json) {
        out.printf("stored dataset %s: %d users, %d items, %d interactions, %d categories (%d rows read, %d-core)%n",
                dataset.name(), dataset.users(), dataset.items(), dataset.interactions(), dataset.categories(),
                dataset.sourceInteractions(), dataset.minCount());
        if (json) {
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("dataset", dataset.name());
            counts.put("users", dataset.users());
            counts.put("items", dataset.items());
            counts.put("interactions", dataset.interactions());
            counts.put("categories", dataset.categories());
            printJson(out, counts);
        }
        out.flush();
    }

    static void printJson(PrintWriter out, Object value) {
        out.println(JSON.writeValueAsString(value));
        out.flush();
    }
}
