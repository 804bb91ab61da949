package io.recalign.catalog;

/**
 * Import the files of a server-side folder: {@code format} is {@code movielens} or {@code jsonl};
 * {@code minCount} is the k of the k-core filter (null for the default, 5).
 */
public record ImportRequest(String name, String format, String path, Integer minCount) {

    int minCountOrDefault() {
        return minCount == null ? DataProtocol.DEFAULT_MIN_COUNT : minCount;
    }
}
