package io.recalign.llm;

/** Plain-Java references the tests compare the model's tensor arithmetic with. */
final class ReferenceMath {

    private ReferenceMath() {
    }

    /** log softmax of one row of logits, in double precision. */
    static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        double[] values = new double[logits.length];
        for (int v = 0; v < logits.length; v++) {
            values[v] = logits[v] - max - Math.log(sum);
        }
        return values;
    }
}
