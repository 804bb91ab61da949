package io.recalign.catalog;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The source formats an import understands. */
public enum DatasetFormat {
    MOVIELENS("movielens"),
    JSONL("jsonl");

    private final String label;

    DatasetFormat(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static DatasetFormat fromLabel(String label) {
        if (label == null || label.isBlank()) {
            throw new InvalidDatasetException("format is required (movielens or jsonl)");
        }
        String wanted = label.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(format -> format.label.equals(wanted)).findFirst()
                .orElseThrow(() -> new InvalidDatasetException("unknown format '" + label + "' (expected "
                        + Arrays.stream(values()).map(DatasetFormat::label).collect(Collectors.joining(" or ")) + ")"));
    }

    SourceReader reader() {
        return switch (this) {
            case MOVIELENS -> new MovieLensReader();
            case JSONL -> new JsonlReader();
        };
    }
}
