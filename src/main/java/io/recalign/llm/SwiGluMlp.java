package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;

/** down(silu(gate(x)) · up(x)), with gate and up stacked into one projection. */
final class SwiGluMlp {

    private final long width;
    private final Weight gateUp;
    private final Weight gateUpBias;  // null without biases
    private final Weight down;
    private final Weight downBias;    // null without bias

    SwiGluMlp(String prefix, LlamaConfig config) {
        width = config.intermediateSize();
        long hidden = config.hiddenSize();
        gateUp = Weight.stacked(prefix + "gate_up_proj.weight", Weight.Init.NORMAL, List.of(
                new Weight.Source(prefix + "gate_proj.weight", width),
                new Weight.Source(prefix + "up_proj.weight", width)), 2 * width, hidden);
        down = Weight.of(prefix + "down_proj.weight", Weight.Init.NORMAL, hidden, width);
        if (config.mlpBias()) {
            gateUpBias = Weight.stacked(prefix + "gate_up_proj.bias", Weight.Init.ZEROS, List.of(
                    new Weight.Source(prefix + "gate_proj.bias", width),
                    new Weight.Source(prefix + "up_proj.bias", width)), 2 * width);
            downBias = Weight.of(prefix + "down_proj.bias", Weight.Init.ZEROS, hidden);
        } else {
            gateUpBias = null;
            downBias = null;
        }
    }

    void collect(List<Weight> into) {
        into.add(gateUp);
        if (gateUpBias != null) {
            into.add(gateUpBias);
        }
        into.add(down);
        if (downBias != null) {
            into.add(downBias);
        }
    }

    NDArray forward(NDArray x) {
        NDList gateAndUp = Ops.split(
                Ops.linear(x, gateUp.array(), gateUpBias == null ? null : gateUpBias.array()),  // (B, T, 2F)
                new long[] {width, width}, -1);
        NDArray gate = gateAndUp.get(0);                                                   // (B, T, F)
        NDArray hidden = gate.mul(gate.getNDArrayInternal().sigmoid()).mul(gateAndUp.get(1));  // (B, T, F)
        return Ops.linear(hidden, down.array(), downBias == null ? null : downBias.array());   // (B, T, E)
    }
}
