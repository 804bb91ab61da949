package io.recalign.catalog;

import java.time.Instant;

/**
 * A stored dataset and its counts after the data protocol; {@code sourceInteractions} is the number of
 * rows read before the k-core filter.
 */
public record DatasetSummary(String name, String format, String source, int minCount, int users, int items,
        long interactions, int categories, long sourceInteractions, Instant createdAt) {
}
