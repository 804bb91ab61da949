package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;

/** down(silu(gate(x)) · up(x)), with gate and up stacked into one projection. */
final class SwiGluMlp {

    private final long width;
    private final Projection gateUp;  // gate_proj and up_proj stacked
    private final Projection down;

    SwiGluMlp(String prefix, LlamaConfig config) {
        width = config.intermediateSize();
        gateUp = Projection.stacked(prefix, "gate_up_proj", config.hiddenSize(), List.of("gate_proj", "up_proj"),
                List.of(width, width), config.mlpBias());
        down = Projection.of(prefix, "down_proj", width, config.hiddenSize(), config.mlpBias());
    }

    void collect(List<Weight> into) {
        gateUp.collect(into);
        down.collect(into);
    }

    NDArray forward(NDArray x) {
        NDList gateAndUp = Ops.split(gateUp.forward(x), new long[] {width, width}, -1);   // 2 × (B, T, F)
        NDArray gate = gateAndUp.get(0);                                                   // (B, T, F)
        NDArray hidden = gate.mul(gate.getNDArrayInternal().sigmoid()).mul(gateAndUp.get(1));  // (B, T, F)
        return down.forward(hidden);                                                       // (B, T, E)
    }
}
