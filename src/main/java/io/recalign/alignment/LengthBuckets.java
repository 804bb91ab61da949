package io.recalign.alignment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batches of similar length, in an order that is a pure function of the seed: each epoch shuffles the
 * examples, sorts windows of {@value #WINDOW_BATCHES} batches by length, cuts them into batches and
 * shuffles the batches. So padding stays small, every example is seen once per epoch, and batch
 * {@code n} is the same whether training ran straight through or resumed at {@code n} (the only state
 * to save is the batch counter).
 */
final class LengthBuckets {

    static final int WINDOW_BATCHES = 50;

    private final int[] lengths;
    private final int batchSize;
    private final long seed;
    private final int batchesPerEpoch;
    private long cachedEpoch = -1;
    private List<int[]> cachedBatches;

    LengthBuckets(int[] lengths, int batchSize, long seed) {
        if (lengths.length == 0) {
            throw new IllegalArgumentException("no training examples");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.lengths = lengths.clone();
        this.batchSize = batchSize;
        this.seed = seed;
        this.batchesPerEpoch = (lengths.length + batchSize - 1) / batchSize;
    }

    int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The example indices of batch {@code index} (counting from 0 over all epochs). */
    int[] batch(long index) {
        long epoch = index / batchesPerEpoch;
        if (epoch != cachedEpoch) {
            cachedBatches = epochBatches(epoch);
            cachedEpoch = epoch;
        }
        return cachedBatches.get((int) (index % batchesPerEpoch)).clone();
    }

    private List<int[]> epochBatches(long epoch) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        int window = WINDOW_BATCHES * batchSize;
        List<int[]> batches = new ArrayList<>(batchesPerEpoch);
        for (int from = 0; from < order.length; from += window) {
            Integer[] slice = Arrays.copyOfRange(order, from, Math.min(order.length, from + window));
            Arrays.sort(slice, Comparator.comparingInt(i -> lengths[i]));  // stable: ties keep the shuffled order
            for (int start = 0; start < slice.length; start += batchSize) {
                batches.add(Arrays.stream(slice, start, Math.min(slice.length, start + batchSize))
                        .mapToInt(Integer::intValue).toArray());
            }
        }
        Object[] shuffled = batches.toArray();
        shuffle(shuffled, random);
        List<int[]> result = new ArrayList<>(shuffled.length);
        for (Object batch : shuffled) {
            result.add((int[]) batch);
        }
        return result;
    }

    private static <T> void shuffle(T[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
