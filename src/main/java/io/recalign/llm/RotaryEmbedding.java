package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Rotary position embedding in Hugging Face's rotate-half layout: dimension j pairs with j ± D/2
 * and turns by position · inv_freq[j mod D/2], so x' = x·cos + rotate_half(x)·sin.
 *
 * <p>Each forward pass gathers cos and sin for its positions once, already broadcast over the query
 * and key heads and with the queries' 1/sqrt(D) attention scale folded in; every layer then rotates
 * queries and keys together in four ops, rotate_half being a matmul by a fixed signed permutation.
 */
final class RotaryEmbedding {

    private static final int INITIAL_POSITIONS = 1024;

    private final int headDim;
    private final float[] inverseFrequencies;  // (D/2)
    private final NDManager manager;
    private final NDArray rotateHalf;           // (D, D): x·R = rotate_half(x)
    private final NDArray headScale;            // (H + K, 1): 1/sqrt(D) for query heads, 1 for key heads
    private volatile NDArray table;             // (P, 2D): cos | sin per position
    private volatile int tablePositions;

    RotaryEmbedding(LlamaConfig config, NDManager manager) {
        this.headDim = config.headDim();
        this.inverseFrequencies = inverseFrequencies(config.rope(), headDim, config.dtype());
        this.manager = manager;
        int half = headDim / 2;
        float[] rotation = new float[headDim * headDim];
        for (int j = 0; j < headDim; j++) {
            // rotate_half(x)_j = -x_{j+D/2} for j < D/2, x_{j-D/2} otherwise
            int partner = j < half ? j + half : j - half;
            rotation[partner * headDim + j] = j < half ? -1 : 1;
        }
        this.rotateHalf = manager.create(rotation, new Shape(headDim, headDim));
        int heads = config.numAttentionHeads();
        float[] scales = new float[heads + config.numKeyValueHeads()];
        Arrays.fill(scales, 0, heads, (float) (1 / Math.sqrt(headDim)));
        Arrays.fill(scales, heads, scales.length, 1f);
        this.headScale = manager.create(scales, new Shape(scales.length, 1));
        ensurePositions(Math.min(config.maxPositionEmbeddings(), INITIAL_POSITIONS));
    }

    /**
     * Inverse frequencies as transformers computes them: in float32, with llama3 band scaling, then
     * held in the checkpoint's dtype (its buffer is cast with the model, so a bfloat16 checkpoint
     * rotates by bfloat16-rounded frequencies).
     */
    static float[] inverseFrequencies(LlamaConfig.Rope rope, int headDim, String dtype) {
        int half = headDim / 2;
        float[] frequencies = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / headDim;
            frequencies[i] = 1f / (float) Math.pow((float) rope.theta(), exponent);
        }
        if (rope.type().equals(LlamaConfig.Rope.LLAMA3)) {
            double oldContext = rope.originalMaxPositionEmbeddings();
            double lowFrequencyWavelength = oldContext / rope.lowFreqFactor();
            double highFrequencyWavelength = oldContext / rope.highFreqFactor();
            for (int i = 0; i < half; i++) {
                float frequency = frequencies[i];
                float wavelength = (float) (2 * Math.PI) / frequency;
                float scaled = wavelength > lowFrequencyWavelength ? frequency / (float) rope.factor() : frequency;
                if (wavelength >= highFrequencyWavelength && wavelength <= lowFrequencyWavelength) {
                    float smooth = (float) ((oldContext / wavelength - rope.lowFreqFactor())
                            / (rope.highFreqFactor() - rope.lowFreqFactor()));
                    scaled = (1 - smooth) * scaled / (float) rope.factor() + smooth * scaled;
                }
                frequencies[i] = scaled;
            }
        }
        for (int i = 0; i < half; i++) {
            frequencies[i] = switch (dtype) {
                case LlamaConfig.BFLOAT16 -> roundToPrecision(frequencies[i], 7, -126);
                case LlamaConfig.FLOAT16 -> roundToPrecision(frequencies[i], 10, -14);
                default -> frequencies[i];
            };
        }
        return frequencies;
    }

    /** Rounds to nearest-even with the given mantissa bits and smallest normal exponent (subnormals kept). */
    static float roundToPrecision(float value, int mantissaBits, int minExponent) {
        if (value == 0 || !Float.isFinite(value)) {
            return value;
        }
        int exponent = Math.max(Math.getExponent(value), minExponent);
        double unit = Math.scalb(1.0, exponent - mantissaBits);
        return (float) (Math.rint(value / unit) * unit);
    }

    /** cos and sin (B, T, H + K, D) of the positions, query heads scaled by 1/sqrt(D). */
    record Turn(NDArray cos, NDArray sin) {
    }

    /**
     * The turn of the given positions (B, T), owned by the positions' manager.
     *
     * @param maxPosition the largest value in {@code positions}
     */
    Turn turn(NDArray positions, int batch, int length, int maxPosition) {
        ensurePositions(maxPosition + 1);
        NDArray cosSin = Ops.embedding(positions, table).reshape(batch, length, 1, 2L * headDim);  // (B, T, 1, 2D)
        NDList halves = Ops.split(cosSin, new long[] {headDim, headDim}, 3);                       // 2 × (B, T, 1, D)
        return new Turn(halves.get(0).mul(headScale), halves.get(1).mul(headScale));             // (B, T, H + K, D)
    }

    /** Rotates query and key heads (B, T, H + K, D) together. */
    NDArray rotate(NDArray heads, Turn turn) {
        return heads.mul(turn.cos()).add(heads.matMul(rotateHalf).mul(turn.sin()));             // (B, T, H + K, D)
    }

    private void ensurePositions(int positions) {
        if (positions <= tablePositions) {
            return;
        }
        synchronized (this) {
            if (positions <= tablePositions) {
                return;
            }
            int size = Math.max(positions, 2 * tablePositions);
            int half = headDim / 2;
            float[] values = new float[size * 2 * headDim];
            for (int p = 0; p < size; p++) {
                int row = p * 2 * headDim;
                for (int i = 0; i < half; i++) {
                    float angle = p * inverseFrequencies[i];  // float32 product, as transformers forms it
                    float cos = (float) Math.cos(angle);
                    float sin = (float) Math.sin(angle);
                    values[row + i] = cos;
                    values[row + i + half] = cos;
                    values[row + headDim + i] = sin;
                    values[row + headDim + i + half] = sin;
                }
            }
            // earlier, smaller tables stay owned by the model's manager: a concurrent call may still read one
            table = manager.create(values, new Shape(size, 2L * headDim));
            tablePositions = size;
        }
    }
}
