package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for a batch of sequences, preallocated to a fixed capacity and
 * written in place (cheaper than concatenating a growing cache each step). Keys are stored
 * transposed so attention multiplies by them without a transpose. All rows share one time axis of
 * slots; which slots hold a row's tokens is the caller's to track (attention masks the others).
 */
final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final int batch;
    private final int capacity;
    private final int kvHeads;
    private final int headDim;
    private final NDArray[] keys;          // per layer (B, K, D, capacity)
    private final NDArray[] values;        // per layer (B, K, capacity, D)
    private final NDArray[] keyWriters;    // per layer (B, capacity, K, D) views of keys
    private final NDArray[] valueWriters;  // per layer (B, capacity, K, D) views of values
    private int length;

    /** An empty cache whose arrays live in a manager of their own under {@code parent}, freed by {@link #close}. */
    KvCache(NDManager parent, LlamaConfig config, int batch, int capacity) {
        this.manager = parent.newSubManager();
        this.batch = batch;
        this.capacity = capacity;
        this.kvHeads = config.numKeyValueHeads();
        this.headDim = config.headDim();
        int layers = config.numHiddenLayers();
        keys = new NDArray[layers];
        values = new NDArray[layers];
        keyWriters = new NDArray[layers];
        valueWriters = new NDArray[layers];
        for (int layer = 0; layer < layers; layer++) {
            keys[layer] = manager.zeros(new Shape(batch, kvHeads, headDim, capacity));
            values[layer] = manager.zeros(new Shape(batch, kvHeads, capacity, headDim));
            keyWriters[layer] = keys[layer].transpose(0, 3, 1, 2);
            valueWriters[layer] = values[layer].transpose(0, 2, 1, 3);
        }
    }

    /**
     * Stores keys and values (B, T, K, D) of new positions for one layer and returns every cached key
     * (B, K, D, S) and value (B, K, S, D) up to them, as views owned by {@code manager}.
     */
    NDArray[] append(int layer, NDArray newKeys, NDArray newValues, int count, NDManager manager) {
        int end = length + count;
        if (end > capacity) {
            throw new IllegalStateException("KV cache full: " + end + " positions exceed its capacity of " + capacity);
        }
        long[] from = {0, length, 0, 0};
        long[] to = {batch, end, kvHeads, headDim};
        Ops.assign(keyWriters[layer], from, to, newKeys);
        Ops.assign(valueWriters[layer], from, to, newValues);
        return new NDArray[] {
            Ops.slice(keys[layer], new long[] {0, 0, 0, 0}, new long[] {batch, kvHeads, headDim, end}, manager),
            Ops.slice(values[layer], new long[] {0, 0, 0, 0}, new long[] {batch, kvHeads, end, headDim}, manager),
        };
    }

    /** Marks {@code count} more positions as filled, once every layer has appended them (or copied into). */
    void advance(int count) {
        length += count;
    }

    /** Slots filled so far, the same for every row. */
    int length() {
        return length;
    }

    /**
     * Copies the slots {@code [sourceSlot, source.length)} of row {@code sourceRow} of {@code source}, every
     * layer, into row {@code targetRow} of this cache from slot {@code targetSlot} on.
     */
    void copyRow(KvCache source, int sourceRow, int sourceSlot, int targetRow, int targetSlot) {
        int slots = source.length - sourceSlot;
        if (targetSlot + slots > capacity || targetRow >= batch) {
            throw new IllegalArgumentException("the copied row does not fit this cache");
        }
        copy(source, new long[] {sourceRow, sourceSlot, 0, 0}, new long[] {sourceRow + 1, source.length, kvHeads, headDim},
                new long[] {targetRow, targetSlot, 0, 0}, new long[] {targetRow + 1, targetSlot + slots, kvHeads, headDim});
    }

    /**
     * Fills slots {@code [0, slots)} of every row with those of the one-row {@code source} and marks them
     * filled; the cache must be empty.
     */
    void fillPrefix(KvCache source, int slots) {
        if (length != 0 || source.batch != 1 || slots > source.length || slots > capacity) {
            throw new IllegalArgumentException("a prefix goes from a one-row cache into an empty one that holds it");
        }
        // (1, P, K, D) broadcast over the rows
        copy(source, new long[] {0, 0, 0, 0}, new long[] {1, slots, kvHeads, headDim},
                new long[] {0, 0, 0, 0}, new long[] {batch, slots, kvHeads, headDim});
        length = slots;
    }

    /** Assigns the block {@code [from, to)} of {@code source}, every layer, to the block {@code [targetFrom, targetTo)}. */
    private void copy(KvCache source, long[] from, long[] to, long[] targetFrom, long[] targetTo) {
        try (NDManager views = manager.newSubManager()) {
            for (int layer = 0; layer < keys.length; layer++) {
                Ops.assign(keyWriters[layer], targetFrom, targetTo, Ops.slice(source.keyWriters[layer], from, to, views));
                Ops.assign(valueWriters[layer], targetFrom, targetTo, Ops.slice(source.valueWriters[layer], from, to, views));
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
