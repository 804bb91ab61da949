package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/** Root-mean-square normalisation with a learned gain: x / sqrt(mean(x²) + eps) · g. */
final class RmsNorm {

    private final Weight gain;
    private final NDArray meanRow;    // (1, E) of 1/E: one linear op gives mean(x²) + eps
    private final NDArray epsilon;    // (1)
    private final NDArray minusHalf;  // ()

    RmsNorm(String name, int size, double eps, NDManager constants) {
        this.gain = Weight.of(name, Weight.Init.ONES, size);
        float[] row = new float[size];
        Arrays.fill(row, 1f / size);
        this.meanRow = constants.create(row, new Shape(1, size));
        this.epsilon = constants.create(new float[] {(float) eps}, new Shape(1));
        this.minusHalf = constants.create(-0.5f);
    }

    Weight gain() {
        return gain;
    }

    NDArray forward(NDArray x) {
        NDArray meanSquare = Ops.linear(x.square(), meanRow, epsilon);  // (..., 1) mean(x²) + eps
        return x.mul(meanSquare.pow(minusHalf)).mul(gain.array());     // (..., E)
    }
}
