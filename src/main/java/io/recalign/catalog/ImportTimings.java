package io.recalign.catalog;

/** Where the time of one import went, in milliseconds. */
public record ImportTimings(DatasetSummary dataset, long readMillis, long protocolMillis, long storeMillis,
        long snapshotMillis) {

    public long totalMillis() {
        return readMillis + protocolMillis + storeMillis;
    }
}
