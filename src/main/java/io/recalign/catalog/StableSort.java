package io.recalign.catalog;

/** A stable merge sort of parallel arrays by a long key, without boxing (sequences can be millions long). */
final class StableSort {

    private static final int INSERTION_LIMIT = 32;

    private StableSort() {
    }

    /**
     * Sorts {@code values[from, to)} and {@code keys[from, to)} together by ascending key; equal keys
     * keep their order. The scratch arrays are at least as long as the ranges sorted.
     */
    static void byKey(int[] values, long[] keys, int from, int to, int[] scratch, long[] scratchKeys) {
        if (to - from <= INSERTION_LIMIT) {
            insertion(values, keys, from, to);
            return;
        }
        int mid = (from + to) >>> 1;
        byKey(values, keys, from, mid, scratch, scratchKeys);
        byKey(values, keys, mid, to, scratch, scratchKeys);
        if (keys[mid - 1] <= keys[mid]) {
            return;
        }
        System.arraycopy(values, from, scratch, from, to - from);
        System.arraycopy(keys, from, scratchKeys, from, to - from);
        int left = from;
        int right = mid;
        for (int out = from; out < to; out++) {
            if (right >= to || (left < mid && scratchKeys[left] <= scratchKeys[right])) {
                values[out] = scratch[left];
                keys[out] = scratchKeys[left++];
            } else {
                values[out] = scratch[right];
                keys[out] = scratchKeys[right++];
            }
        }
    }

    private static void insertion(int[] values, long[] keys, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int value = values[i];
            long key = keys[i];
            int j = i - 1;
            while (j >= from && keys[j] > key) {
                values[j + 1] = values[j];
                keys[j + 1] = keys[j];
                j--;
            }
            values[j + 1] = value;
            keys[j + 1] = key;
        }
    }
}
