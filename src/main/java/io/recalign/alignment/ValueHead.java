package io.recalign.alignment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recalign.llm.Safetensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PPO's critic: a linear map from the policy's final-norm hidden state (E) to a scalar value, sharing
 * the policy's body. Starts at zero, so the first values are 0 and the first advantages are the rewards.
 */
final class ValueHead implements AutoCloseable {

    static final String FILE = "value_head.safetensors";
    private static final String WEIGHT = "value_head.weight";
    private static final String BIAS = "value_head.bias";

    private final NDManager manager;
    private final NDArray weight;  // (E, 1)
    private final NDArray bias;    // (1)

    private ValueHead(NDManager parent, float[] weights, float bias) {
        this.manager = parent.newSubManager();
        manager.setName("value-head");
        this.weight = manager.create(weights, new Shape(weights.length, 1));
        this.bias = manager.create(new float[] {bias}, new Shape(1));
    }

    /** A zero head for hidden states of size {@code hiddenSize}. */
    static ValueHead create(int hiddenSize, NDManager parent) {
        return new ValueHead(parent, new float[hiddenSize], 0);
    }

    /** The head {@link #save} wrote to {@code directory}. */
    static ValueHead load(Path directory, int hiddenSize, NDManager parent) {
        Map<String, Safetensors.Tensor> tensors = Safetensors.read(directory.resolve(FILE));
        Safetensors.Tensor weight = tensors.get(WEIGHT);
        Safetensors.Tensor bias = tensors.get(BIAS);
        if (weight == null || bias == null || weight.values().length != hiddenSize || bias.values().length != 1) {
            throw new IllegalArgumentException("the value head in " + directory + " does not fit hidden size " + hiddenSize);
        }
        return new ValueHead(parent, weight.values(), bias.values()[0]);
    }

    /** Values (B, C) of hidden states (B, C, E). */
    NDArray values(NDArray hidden) {
        return hidden.matMul(weight).squeeze(-1).add(bias);                                // (B, C)
    }

    /** The trainable arrays by name, for the optimizer. */
    Map<String, NDArray> parameters() {
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        parameters.put(WEIGHT, weight);
        parameters.put(BIAS, bias);
        return parameters;
    }

    void requireGradients() {
        weight.setRequiresGradient(true);
        bias.setRequiresGradient(true);
    }

    void save(Path directory) {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put(WEIGHT, new Safetensors.Tensor(weight.getShape().getShape(), weight.toFloatArray()));
        tensors.put(BIAS, new Safetensors.Tensor(bias.getShape().getShape(), bias.toFloatArray()));
        Safetensors.write(directory.resolve(FILE), tensors);
    }

    @Override
    public void close() {
        manager.close();
    }
}
