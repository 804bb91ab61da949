package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {

    private static int[] lengths(int count, long seed) {
        Random random = new Random(seed);
        return IntStream.range(0, count).map(i -> 20 + random.nextInt(200)).toArray();
    }

    @Test
    void everyExampleComesOncePerEpochInBatchesOfSimilarLength() {
        int[] lengths = lengths(1000, 1);
        LengthBuckets buckets = new LengthBuckets(lengths, 16, 7);

        assertThat(buckets.batchesPerEpoch()).isEqualTo(63);
        List<Integer> seen = new ArrayList<>();
        double spread = 0;
        for (int b = 0; b < buckets.batchesPerEpoch(); b++) {
            int[] batch = buckets.batch(b);
            assertThat(batch.length).isBetween(1, 16);
            Arrays.stream(batch).forEach(seen::add);
            int[] batchLengths = Arrays.stream(batch).map(i -> lengths[i]).toArray();
            spread += Arrays.stream(batchLengths).max().orElseThrow() - Arrays.stream(batchLengths).min().orElseThrow();
        }
        assertThat(seen).hasSize(1000).doesNotHaveDuplicates();
        // random batches of 16 would spread over most of the 200-token range
        assertThat(spread / buckets.batchesPerEpoch()).isLessThan(30);
    }

    @Test
    void theOrderIsAFunctionOfSeedAndBatchNumberAlone() {
        int[] lengths = lengths(300, 2);
        LengthBuckets straight = new LengthBuckets(lengths, 8, 11);
        List<int[]> run = new ArrayList<>();
        for (int b = 0; b < 100; b++) {
            run.add(straight.batch(b));
        }

        LengthBuckets resumed = new LengthBuckets(lengths, 8, 11);
        for (int b = 57; b < 100; b++) {
            assertThat(resumed.batch(b)).isEqualTo(run.get(b));
        }
        assertThat(new LengthBuckets(lengths, 8, 12).batch(0)).isNotEqualTo(run.get(0));
        // the second epoch is another order of the same examples
        assertThat(run.get(straight.batchesPerEpoch())).isNotEqualTo(run.get(0));
    }
}
