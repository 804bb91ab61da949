package io.recalign.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/** Position-wise feed-forward layer: Linear(H, F), GELU, dropout, Linear(F, H), dropout. */
final class FeedForward extends AbstractBlock {

    private final float dropout;
    private final Linear expand;
    private final Linear contract;

    FeedForward(SasRecConfig config) {
        dropout = (float) config.dropout();
        expand = addChildBlock("expand", Linear.builder().setUnits(config.feedForward()).build());
        contract = addChildBlock("contract", Linear.builder().setUnits(config.hidden()).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = expand.forward(ps, inputs, training).singletonOrThrow();             // (B, T, F)
        x = InvertedDropout.apply(Activation.gelu(x), dropout, training);                // (B, T, F)
        x = contract.forward(ps, new NDList(x), training).singletonOrThrow();            // (B, T, H)
        return new NDList(InvertedDropout.apply(x, dropout, training));                  // (B, T, H)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        expand.initialize(manager, dataType, inputShapes[0]);
        contract.initialize(manager, dataType, expand.getOutputShapes(inputShapes));
    }

    void collectParameters(String prefix, Map<String, Parameter> into) {
        SasRec.collectLinear(prefix + "expand.", expand, into);
        SasRec.collectLinear(prefix + "contract.", contract, into);
    }
}
