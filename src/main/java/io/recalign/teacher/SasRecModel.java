package io.recalign.teacher;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.recalign.llm.NoGrad;
import io.recalign.llm.Safetensors;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SASRec network with its weights; owns their native memory, so close it when done. Scoring only
 * reads the weights and keeps every intermediate array in the caller's scope, so it is thread-safe.
 */
public final class SasRecModel implements AutoCloseable {

    private final NDManager manager;
    private final SasRec network;

    private SasRecModel(NDManager manager, SasRec network) {
        this.manager = manager;
        this.network = network;
    }

    /** A network with fresh weights drawn from the engine's generator seeded with {@code seed}. */
    public static SasRecModel initialize(SasRecConfig config, int itemCount, int seed) {
        SasRec network = new SasRec(config, itemCount);
        NDManager manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(seed);
        network.initialize(manager, DataType.FLOAT32, new Shape(1, config.maxLength()), new Shape(1));
        return new SasRecModel(manager, network);
    }

    /** A network with the weights of {@link #toSafetensors()}; the item count comes from the item embedding. */
    public static SasRecModel fromSafetensors(SasRecConfig config, byte[] weights) {
        Map<String, Safetensors.Tensor> tensors = Safetensors.read(weights);
        Safetensors.Tensor items = tensors.get("item_embedding");
        if (items == null || items.rank() != 2 || items.shape()[0] < 2) {
            throw new IllegalArgumentException("teacher weights lack a valid item_embedding tensor");
        }
        SasRecModel model = new SasRecModel(NDManager.newBaseManager(), new SasRec(config, (int) items.shape()[0] - 1));
        try {
            model.network.initialize(model.manager, DataType.FLOAT32, new Shape(1, config.maxLength()), new Shape(1));
            model.load(tensors);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public SasRecConfig config() {
        return network.config();
    }

    public int itemCount() {
        return network.itemCount();
    }

    /** All weights as safetensors bytes (F32, PyTorch-style names). */
    public byte[] toSafetensors() {
        return Safetensors.write(weights());
    }

    /** A copy of every weight, by name. */
    Map<String, Safetensors.Tensor> weights() {
        Map<String, Safetensors.Tensor> weights = new LinkedHashMap<>();
        network.namedParameters().forEach((name, parameter) -> weights.put(name,
                new Safetensors.Tensor(parameter.getArray().getShape().getShape(), parameter.getArray().toFloatArray())));
        return weights;
    }

    /** Overwrites every weight in place; names and shapes must match exactly. */
    void load(Map<String, Safetensors.Tensor> weights) {
        Map<String, Parameter> parameters = network.namedParameters();
        if (!weights.keySet().equals(parameters.keySet())) {
            throw new IllegalArgumentException("teacher weights do not match the configuration: expected tensors "
                    + parameters.keySet() + ", got " + weights.keySet());
        }
        parameters.forEach((name, parameter) -> {
            Safetensors.Tensor tensor = weights.get(name);
            long[] expected = parameter.getArray().getShape().getShape();
            if (!Arrays.equals(expected, tensor.shape())) {
                throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(tensor.shape())
                        + ", the configuration needs " + Arrays.toString(expected));
            }
        });
        parameters.forEach((name, parameter) -> parameter.getArray().set(weights.get(name).values()));
    }

    /**
     * Scores of every item as the next one after each history (its last {@code maxLength} items), as a
     * (B, V) array in {@code scope}. Call with gradient recording off.
     */
    NDArray scoreNext(NDManager scope, List<int[]> histories) {
        int length = config().maxLength();
        long[] tokens = new long[histories.size() * length];
        long[] rows = new long[histories.size()];
        for (int b = 0; b < histories.size(); b++) {
            int[] history = histories.get(b);
            fillTokens(history, Math.max(0, history.length - length), history.length, tokens, b * length, length);
            rows[b] = (long) b * length + length - 1;
        }
        NDList inputs = new NDList(
                scope.create(tokens, new Shape(histories.size(), length)),                // (B, T)
                scope.create(rows));                                                       // (B)
        return SasRec.scores(network.forward(new ParameterStore(scope, false), inputs, false));     // (B, V)
    }

    /** Row-major (histories, items) scores of every item as the next one after each history. */
    float[] scoreNext(List<int[]> histories) {
        return NoGrad.call(() -> {
            try (NDManager scope = manager.newSubManager()) {
                return scoreNext(scope, histories).toFloatArray();
            }
        });
    }

    /** Writes items[from, to) as tokens (item + 1) right-aligned in tokens[offset, offset + length), padding before. */
    static void fillTokens(int[] items, int from, int to, long[] tokens, int offset, int length) {
        int count = to - from;
        if (count > length) {
            throw new IllegalArgumentException("window of " + count + " items exceeds max length " + length);
        }
        Arrays.fill(tokens, offset, offset + length - count, 0L);
        for (int i = 0; i < count; i++) {
            tokens[offset + length - count + i] = items[from + i] + 1L;
        }
    }

    SasRec network() {
        return network;
    }

    NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
