package io.recalign.catalog;

/** Where the time of one import went, in milliseconds. */
record ImportTimings(DatasetSummary dataset, long readMillis, long protocolMillis, long storeMillis,
        long snapshotMillis) {

    long totalMillis() {
        return readMillis + protocolMillis + storeMillis;
    }
}
