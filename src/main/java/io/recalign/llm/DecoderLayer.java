package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** Pre-norm transformer block: x + attention(norm(x)), then + mlp(norm(x)). */
final class DecoderLayer {

    private final int index;
    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final SwiGluMlp mlp;

    DecoderLayer(int index, LlamaConfig config, NDManager constants) {
        this.index = index;
        String prefix = "model.layers." + index + ".";
        inputNorm = new RmsNorm(prefix + "input_layernorm.weight", config.hiddenSize(), config.rmsNormEps(), constants);
        attention = new Attention(prefix + "self_attn.", config);
        postAttentionNorm = new RmsNorm(prefix + "post_attention_layernorm.weight", config.hiddenSize(),
                config.rmsNormEps(), constants);
        mlp = new SwiGluMlp(prefix + "mlp.", config);
    }

    void collect(List<Weight> into) {
        into.add(inputNorm.gain());
        attention.collect(into);
        into.add(postAttentionNorm.gain());
        mlp.collect(into);
    }

    NDArray forward(NDArray x, int batch, int length, RotaryEmbedding rotary, RotaryEmbedding.Turn turn, NDArray mask,
                    KvCache cache, NDManager manager) {
        NDArray h = x.add(attention.forward(inputNorm.forward(x), batch, length, rotary, turn, mask,
                cache, index, manager));                                                 // (B, T, E)
        return h.add(mlp.forward(postAttentionNorm.forward(h)));                        // (B, T, E)
    }
}
