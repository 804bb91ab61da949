package io.recalign.alignment;

import java.util.List;

/** The arrays {@link io.recalign.llm.LlamaModel#loss} takes, from a batch of encoded examples. */
final class SftBatch {

    private SftBatch() {
    }

    static int[][] tokens(List<EncodedExample> batch) {
        return batch.stream().map(EncodedExample::tokens).toArray(int[][]::new);
    }

    static boolean[][] masks(List<EncodedExample> batch) {
        return batch.stream().map(EncodedExample::labelMask).toArray(boolean[][]::new);
    }

    static int[][][] unlikely(List<EncodedExample> batch) {
        return batch.stream().map(EncodedExample::unlikely).toArray(int[][][]::new);
    }

    static int[][][] ruledOut(List<EncodedExample> batch) {
        return batch.stream().map(EncodedExample::ruledOut).toArray(int[][][]::new);
    }
}
