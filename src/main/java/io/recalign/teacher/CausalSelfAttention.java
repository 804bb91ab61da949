package io.recalign.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * Multi-head self-attention. Inputs: hidden states (B, T, H) and an additive attention mask
 * (B, 1, T, T) that hides future positions and padding keys.
 */
final class CausalSelfAttention extends AbstractBlock {

    private final int heads;
    private final int headSize;
    private final float dropout;
    private final Linear queryKeyValue;
    private final Linear projection;

    CausalSelfAttention(SasRecConfig config) {
        heads = config.heads();
        headSize = config.headSize();
        dropout = (float) config.dropout();
        queryKeyValue = addChildBlock("qkv", Linear.builder().setUnits(3L * config.hidden()).build());
        projection = addChildBlock("proj", Linear.builder().setUnits(config.hidden()).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);                                                     // (B, T, H)
        NDArray mask = inputs.get(1);                                                  // (B, 1, T, T)
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        NDList qkv = queryKeyValue.forward(ps, new NDList(x), training)
                .singletonOrThrow()                                                    // (B, T, 3H)
                .split(3, 2);                                                          // 3 x (B, T, H)
        NDArray q = splitHeads(qkv.get(0), batch, length);                            // (B, nh, T, hd)
        NDArray k = splitHeads(qkv.get(1), batch, length);                            // (B, nh, T, hd)
        NDArray v = splitHeads(qkv.get(2), batch, length);                            // (B, nh, T, hd)
        NDArray weights = q.matMul(k.swapAxes(-1, -2))                                 // (B, nh, T, T)
                .mul(1.0 / Math.sqrt(headSize))
                .add(mask)
                .softmax(-1);
        weights = InvertedDropout.apply(weights, dropout, training);                    // (B, nh, T, T)
        NDArray y = weights.matMul(v)                                                  // (B, nh, T, hd)
                .transpose(0, 2, 1, 3)                                                 // (B, T, nh, hd)
                .reshape(batch, length, (long) heads * headSize);                      // (B, T, H)
        return projection.forward(ps, new NDList(y), training);                        // (B, T, H)
    }

    private NDArray splitHeads(NDArray x, long batch, long length) {
        return x.reshape(batch, length, heads, headSize)                               // (B, T, nh, hd)
                .transpose(0, 2, 1, 3);                                                // (B, nh, T, hd)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        queryKeyValue.initialize(manager, dataType, inputShapes[0]);
        projection.initialize(manager, dataType, inputShapes[0]);
    }

    void collectParameters(String prefix, Map<String, Parameter> into) {
        SasRec.collectLinear(prefix + "qkv.", queryKeyValue, into);
        SasRec.collectLinear(prefix + "proj.", projection, into);
    }
}
