package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * A linear layer x·Wᵀ (+ b) with weights in Hugging Face (out, in) layout. Several Hugging Face
 * projections of the same input may be stacked into one (named {@code fused}), so one matmul does
 * the work of several while loading and export keep their names.
 */
final class Projection {

    private final Weight weight;
    private final Weight bias;  // null without bias

    private Projection(Weight weight, Weight bias) {
        this.weight = weight;
        this.bias = bias;
    }

    /** One Hugging Face projection {@code prefix + name} from {@code in} to {@code out} features. */
    static Projection of(String prefix, String name, long in, long out, boolean withBias) {
        return stacked(prefix, name, in, List.of(name), List.of(out), withBias);
    }

    /**
     * The projections {@code prefix + parts[i]} (each {@code outs[i]} features wide) stacked in order
     * under {@code prefix + fused}.
     */
    static Projection stacked(String prefix, String fused, long in, List<String> parts, List<Long> outs, boolean withBias) {
        long out = outs.stream().mapToLong(Long::longValue).sum();
        List<Weight.Source> weights = new ArrayList<>();
        List<Weight.Source> biases = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            weights.add(new Weight.Source(prefix + parts.get(i) + ".weight", outs.get(i)));
            biases.add(new Weight.Source(prefix + parts.get(i) + ".bias", outs.get(i)));
        }
        return new Projection(
                Weight.stacked(prefix + fused + ".weight", Weight.Init.NORMAL, weights, out, in),
                withBias ? Weight.stacked(prefix + fused + ".bias", Weight.Init.ZEROS, biases, out) : null);
    }

    void collect(List<Weight> into) {
        into.add(weight);
        if (bias != null) {
            into.add(bias);
        }
    }

    NDArray forward(NDArray x) {
        return Ops.linear(x, weight.array(), bias == null ? null : bias.array());  // (..., out)
    }
}
