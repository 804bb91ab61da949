package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Grouped-query causal self-attention. q, k and v come from one stacked projection (Hugging Face's
 * q_proj, k_proj, v_proj rows in that order); each of the K key/value heads serves G = H / K query
 * heads, which attend together through one batched matmul without repeating keys.
 */
final class Attention {

    private final int heads;
    private final int kvHeads;
    private final int groups;
    private final int headDim;
    private final Projection qkv;     // q_proj, k_proj, v_proj stacked
    private final Projection output;  // o_proj

    Attention(String prefix, LlamaConfig config) {
        heads = config.numAttentionHeads();
        kvHeads = config.numKeyValueHeads();
        groups = config.groupSize();
        headDim = config.headDim();
        long queryWidth = (long) heads * headDim;
        long kvWidth = (long) kvHeads * headDim;
        qkv = Projection.stacked(prefix, "qkv_proj", config.hiddenSize(), List.of("q_proj", "k_proj", "v_proj"),
                List.of(queryWidth, kvWidth, kvWidth), config.qkvBias());
        output = Projection.of(prefix, "o_proj", queryWidth, config.hiddenSize(), config.outputBias());
    }

    void collect(List<Weight> into) {
        qkv.collect(into);
        output.collect(into);
    }

    /**
     * @param x          (B, T, E) normalised hidden states
     * @param turn       rotary cos and sin of the positions
     * @param mask       (B or 1, 1, G·T, S) additive mask, or null when every key may be seen
     * @param cache      the running cache, or null to attend within x only
     * @param layer      this layer's index in the cache
     * @param manager    owner of the cache views made for this call
     */
    NDArray forward(NDArray x, int batch, int length, RotaryEmbedding rotary, RotaryEmbedding.Turn turn, NDArray mask,
                    KvCache cache, int layer, NDManager manager) {
        NDArray projected = qkv.forward(x).reshape(batch, length, heads + 2L * kvHeads, headDim);  // (B, T, H + 2K, D)
        NDList parts = Ops.split(projected, new long[] {heads + kvHeads, kvHeads}, 2);
        NDList rotated = Ops.split(rotary.rotate(parts.get(0), turn), new long[] {heads, kvHeads}, 2);
        NDArray q = rotated.get(0);                                                      // (B, T, H, D), scaled by 1/sqrt(D)
        NDArray k = rotated.get(1);                                                      // (B, T, K, D)
        NDArray v = parts.get(1);                                                        // (B, T, K, D)

        NDArray keysT;
        NDArray values;
        if (cache != null) {
            NDArray[] cached = cache.append(layer, k, v, length, manager);
            keysT = cached[0];                                                           // (B, K, D, S)
            values = cached[1];                                                          // (B, K, S, D)
        } else {
            keysT = k.transpose(0, 2, 3, 1);                                             // (B, K, D, T)
            values = v.transpose(0, 2, 1, 3);                                            // (B, K, T, D)
        }
        // a single query position needs no transposes: (B, 1, H, D) is already (B, K, G, D) in memory
        NDArray queries = length == 1
                ? q.reshape(batch, kvHeads, groups, headDim)                             // (B, K, G, D)
                : q.transpose(0, 2, 1, 3).reshape(batch, kvHeads, (long) groups * length, headDim);  // (B, K, G·T, D)
        NDArray scores = queries.matMul(keysT);                                          // (B, K, G·T, S)
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray attended = scores.softmax(-1).matMul(values);                            // (B, K, G·T, D)
        NDArray merged = length == 1
                ? attended.reshape(batch, 1, (long) heads * headDim)                     // (B, 1, H·D)
                : attended.reshape(batch, heads, length, headDim).transpose(0, 2, 1, 3)
                        .reshape(batch, length, (long) heads * headDim);                 // (B, T, H·D)
        return output.forward(merged);                                                   // (B, T, E)
    }
}
