package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The few PyTorch calls the model makes that DJL's NDArray interface only offers through slower or
 * allocation-heavy paths: one native call each, results owned by the first operand's manager (or
 * the manager given), so weights never collect temporaries.
 */
final class Ops {

    private Ops() {
    }

    /** x·Wᵀ + b with weights in Hugging Face (out, in) layout; bias may be null. */
    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return JniUtils.linear((PtNDArray) x, (PtNDArray) weight, (PtNDArray) bias);
    }

    /** Rows of {@code table} picked by integer {@code ids}; the result belongs to the ids' manager. */
    static NDArray embedding(NDArray ids, NDArray table) {
        return JniUtils.embedding((PtNDArray) ids, (PtNDArray) table, false);
    }

    /** Splits {@code array} along {@code axis} into consecutive pieces of the given sizes (views). */
    static NDList split(NDArray array, long[] sizes, int axis) {
        return JniUtils.split((PtNDArray) array, sizes, axis);
    }

    /** The view {@code array[from[0]:to[0], from[1]:to[1], ...]}, owned by {@code manager}. */
    static NDArray slice(NDArray array, long[] from, long[] to, NDManager manager) {
        return JniUtils.index((PtNDArray) array, from, to, ones(from.length), (PtNDManager) manager);
    }

    /** Writes {@code value} into {@code array[from[0]:to[0], ...]} in place. */
    static void assign(NDArray array, long[] from, long[] to, NDArray value) {
        JniUtils.indexSet((PtNDArray) array, (PtNDArray) value, from, to, ones(from.length));
    }

    private static long[] ones(int length) {
        long[] steps = new long[length];
        java.util.Arrays.fill(steps, 1);
        return steps;
    }
}
