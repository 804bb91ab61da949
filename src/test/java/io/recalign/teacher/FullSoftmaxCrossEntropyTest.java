package io.recalign.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class FullSoftmaxCrossEntropyTest {

    private record Outcome(float loss, float[] hiddenGradient, float[] itemsGradient) {
    }

    private static Outcome run(float[] hiddenValues, float[] itemValues, long[] labels, boolean closedForm) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray hidden = manager.create(hiddenValues, new Shape(labels.length, 8));
            NDArray items = manager.create(itemValues, new Shape(itemValues.length / 8, 8));
            hidden.setRequiresGradient(true);
            items.setRequiresGradient(true);
            float loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                if (closedForm) {
                    NDList surrogateAndLoss = FullSoftmaxCrossEntropy.of(hidden, items, manager.create(labels));
                    collector.backward(surrogateAndLoss.get(0));
                    loss = surrogateAndLoss.get(1).getFloat();
                } else {
                    NDArray crossEntropy = SasRec.scores(new NDList(hidden, items)).logSoftmax(-1)
                            .gather(manager.create(labels, new Shape(labels.length, 1)), 1).mean().neg();
                    collector.backward(crossEntropy);
                    loss = crossEntropy.getFloat();
                }
            }
            return new Outcome(loss, hidden.getGradient().toFloatArray(), items.getGradient().toFloatArray());
        }
    }

    @Test
    void matchesAutogradThroughLogSoftmax() {
        java.util.Random random = new java.util.Random(3);
        float[] hidden = new float[6 * 8];
        float[] items = new float[30 * 8];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < items.length; i++) {
            items[i] = (float) random.nextGaussian();
        }
        long[] labels = {0, 29, 7, 7, 15, 3};

        Outcome closedForm = run(hidden, items, labels, true);
        Outcome autograd = run(hidden, items, labels, false);

        assertThat(closedForm.loss()).isCloseTo(autograd.loss(), within(1e-5f));
        assertThat(closedForm.hiddenGradient()).containsExactly(autograd.hiddenGradient(), within(1e-6f));
        assertThat(closedForm.itemsGradient()).containsExactly(autograd.itemsGradient(), within(1e-6f));
        assertThat(closedForm.itemsGradient()).isNotEqualTo(new float[items.length]);
    }
}
