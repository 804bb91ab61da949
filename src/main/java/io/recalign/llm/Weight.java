package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * One trainable array of the model. Several Hugging Face tensors may be stacked along the first
 * axis into one (q, k and v projections become one matrix multiply); {@code sources} names them in
 * order with their row counts, so loading and export map Hugging Face names exactly.
 */
final class Weight {

    /** A Hugging Face tensor that fills {@code rows} consecutive rows of this weight. */
    record Source(String name, long rows) {
    }

    /** How a from-scratch model fills this weight. */
    enum Init { NORMAL, ONES, ZEROS }

    private final String name;
    private final long[] shape;
    private final List<Source> sources;
    private final Init init;
    private NDArray array;

    private Weight(String name, long[] shape, List<Source> sources, Init init) {
        this.name = name;
        this.shape = shape;
        this.sources = List.copyOf(sources);
        this.init = init;
        long rows = sources.stream().mapToLong(Source::rows).sum();
        if (rows != shape[0]) {
            throw new IllegalArgumentException(name + ": sources hold " + rows + " rows, shape has " + shape[0]);
        }
    }

    /** A weight that is exactly one Hugging Face tensor. */
    static Weight of(String name, Init init, long... shape) {
        return new Weight(name, shape, List.of(new Source(name, shape[0])), init);
    }

    /** A weight stacked from several Hugging Face tensors along its first axis. */
    static Weight stacked(String name, Init init, List<Source> sources, long... shape) {
        return new Weight(name, shape, sources, init);
    }

    String name() {
        return name;
    }

    long[] shape() {
        return shape.clone();
    }

    List<Source> sources() {
        return sources;
    }

    Init init() {
        return init;
    }

    /** Matrices (embeddings, projections) get weight decay; norm gains and biases do not. */
    boolean isMatrix() {
        return shape.length == 2;
    }

    long size() {
        long size = 1;
        for (long dimension : shape) {
            size *= dimension;
        }
        return size;
    }

    NDArray array() {
        if (array == null) {
            throw new IllegalStateException("weight " + name + " has no value yet");
        }
        return array;
    }

    void set(NDArray value) {
        array = value;
    }
}
