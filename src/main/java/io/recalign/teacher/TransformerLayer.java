package io.recalign.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * One pre-norm transformer block: {@code x + attention(norm(x))}, then {@code x + feedForward(norm(x))}.
 * Inputs: hidden states (B, T, H) and the additive attention mask (B, 1, T, T).
 */
final class TransformerLayer extends AbstractBlock {

    private final LayerNorm attentionNorm;
    private final CausalSelfAttention attention;
    private final LayerNorm feedForwardNorm;
    private final FeedForward feedForward;

    TransformerLayer(SasRecConfig config) {
        attentionNorm = addChildBlock("attention_norm", SasRec.layerNorm());
        attention = addChildBlock("attention", new CausalSelfAttention(config));
        feedForwardNorm = addChildBlock("feed_forward_norm", SasRec.layerNorm());
        feedForward = addChildBlock("feed_forward", new FeedForward(config));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);                                                       // (B, T, H)
        NDArray mask = inputs.get(1);                                                    // (B, 1, T, T)
        NDArray normed = attentionNorm.forward(ps, new NDList(x), training).singletonOrThrow();
        x = x.add(attention.forward(ps, new NDList(normed, mask), training).singletonOrThrow()); // (B, T, H)
        normed = feedForwardNorm.forward(ps, new NDList(x), training).singletonOrThrow();
        x = x.add(feedForward.forward(ps, new NDList(normed), training).singletonOrThrow());    // (B, T, H)
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        attentionNorm.initialize(manager, dataType, inputShapes[0]);
        attention.initialize(manager, dataType, inputShapes);
        feedForwardNorm.initialize(manager, dataType, inputShapes[0]);
        feedForward.initialize(manager, dataType, inputShapes[0]);
    }

    void collectParameters(String prefix, Map<String, Parameter> into) {
        SasRec.collectNorm(prefix + "attention_norm.", attentionNorm, into);
        attention.collectParameters(prefix + "attention.", into);
        SasRec.collectNorm(prefix + "feed_forward_norm.", feedForwardNorm, into);
        feedForward.collectParameters(prefix + "feed_forward.", into);
    }
}
