package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for a batch of sequences, preallocated to a fixed capacity and
 * written in place (cheaper than concatenating a growing cache each step). Keys are stored
 * transposed so attention multiplies by them without a transpose.
 */
final class KvCache {

    private final int batch;
    private final int capacity;
    private final int kvHeads;
    private final int headDim;
    private final NDArray[] keys;          // per layer (B, K, D, capacity)
    private final NDArray[] values;        // per layer (B, K, capacity, D)
    private final NDArray[] keyWriters;    // per layer (B, capacity, K, D) views of keys
    private final NDArray[] valueWriters;  // per layer (B, capacity, K, D) views of values
    private int length;

    /** A cache owned by {@code manager} (scope it to the generation call). */
    KvCache(NDManager manager, LlamaConfig config, int batch, int capacity) {
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

    /** Marks {@code count} more positions as filled, once every layer has appended them. */
    void advance(int count) {
        length += count;
    }
}
