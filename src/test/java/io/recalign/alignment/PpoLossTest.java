package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PpoLossTest {

    private NDManager manager;

    @BeforeEach
    void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    private NDArray row(float... values) {
        return manager.create(values).reshape(1, values.length);
    }

    private static float log(double value) {
        return (float) Math.log(value);
    }

    @Test
    void policyLossClipsTheRatioOnTheSideTheAdvantageFavours() {
        // ratios 1.25 (A = 1), 0.6 (A = -2), 1.1 (A = 0.5) and a padding token that must not count
        NDArray logProbs = row(log(0.5), log(0.15), log(0.55), 5f);
        NDArray old = row(log(0.4), log(0.25), log(0.5), -5f);
        NDArray advantages = row(1, -2, 0.5f, 100);
        NDArray mask = row(1, 1, 1, 0);
        logProbs.setRequiresGradient(true);

        PpoLoss.PolicyTerms terms;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            terms = PpoLoss.clippedPolicyLoss(logProbs, old, advantages, mask, 0.2);
            collector.backward(terms.loss());
        }

        // token 1: max(-1.25, -1.2) = -1.2 (clipped); token 2: max(1.2, 1.6) = 1.6 (clipped); token 3: -0.55
        assertThat(terms.loss().getFloat()).isCloseTo((-1.2f + 1.6f - 0.55f) / 3, within(1e-5f));
        assertThat(terms.clipFraction().getFloat()).isCloseTo(2 / 3f, within(1e-6f));
        double kl = (0.25 - Math.log(1.25) + (-0.4) - Math.log(0.6) + 0.1 - Math.log(1.1)) / 3;
        assertThat(terms.approxKl().getFloat()).isCloseTo((float) kl, within(1e-5f));
        // clipped tokens pass no gradient; the unclipped one gets -A·ratio/3
        float[] gradient = logProbs.getGradient().toFloatArray();
        assertThat(gradient).containsExactly(new float[] {0, 0, -0.5f * 1.1f / 3, 0}, within(1e-5f));
    }

    @Test
    void valueLossTakesTheWorseOfTheFreeAndTheClippedValue() {
        // token 1 moved 0.5 from its old value, clipped to 0.2: (0.7 - 2)² beats (1 - 2)²; token 2 did not move
        NDArray loss = PpoLoss.clippedValueLoss(row(1, 2, 9), row(0.5f, 2, 0), row(2, 1, 0), row(1, 1, 0), 0.2);

        assertThat(loss.getFloat()).isCloseTo(0.5f * (1.69f + 1f) / 2, within(1e-5f));
    }

    @Test
    void entropyIsThatOfEachMaskedNextTokenDistribution() {
        // (1, 2, 2): p = (0.75, 0.25) at the first position, uniform at the padded second
        NDArray logits = manager.create(new float[] {log(3), 0, 0, 0}).reshape(1, 2, 2);

        NDArray entropy = PpoLoss.entropy(logits, row(1, 0));

        assertThat(entropy.getFloat()).isCloseTo((float) -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), within(1e-5f));
    }

    @Test
    void referenceKlIsZeroAtTheReferenceAndPositiveAway() {
        NDArray kl = PpoLoss.referenceKl(row(log(0.5), log(0.3)), row(log(0.25), log(0.3)), row(1, 1));

        // r = log(0.25/0.5): exp(r) - r - 1 = 0.5 + ln 2 - 1 at the first token, 0 at the second
        assertThat(kl.getFloat()).isCloseTo((float) ((0.5 + Math.log(2) - 1) / 2), within(1e-5f));
    }

    @Test
    void maskedMeanIgnoresPaddingAndSurvivesAnEmptyMask() {
        assertThat(PpoLoss.maskedMean(row(1, 2, 30), row(1, 1, 0)).getFloat()).isCloseTo(1.5f, within(1e-6f));
        assertThat(PpoLoss.maskedMean(row(1, 2), row(0, 0)).getFloat()).isZero();
    }

    @Test
    void generalisedAdvantagesFollowTheRecursionOfEachRow() {
        // γ = 1, λ = 0.5: δ = (-0.3, -0.1, 0.9); A_2 = 0.9, A_1 = -0.1 + 0.45, A_0 = -0.3 + 0.175
        float[][] rewards = {{0, 0, 1}, {2}};
        float[][] values = {{0.5f, 0.2f, 0.1f}, {0.5f}};

        Advantages advantages = Advantages.gae(rewards, values, 1.0, 0.5);

        assertThat(advantages.advantages()[0]).containsExactly(new float[] {-0.125f, 0.35f, 0.9f}, within(1e-6f));
        assertThat(advantages.returns()[0]).containsExactly(new float[] {0.375f, 0.55f, 1.0f}, within(1e-6f));
        assertThat(advantages.advantages()[1]).containsExactly(new float[] {1.5f}, within(1e-6f));
        assertThat(advantages.returns()[1]).containsExactly(new float[] {2.0f}, within(1e-6f));
    }

    @Test
    void discountingShrinksLaterRewards() {
        // γ = 0.9, λ = 1, zero values: A_t is the discounted sum of later rewards
        Advantages advantages = Advantages.gae(new float[][] {{0, 0, 1}}, new float[][] {{0, 0, 0}}, 0.9, 1.0);

        assertThat(advantages.advantages()[0]).containsExactly(new float[] {0.81f, 0.9f, 1f}, within(1e-6f));
    }

    @Test
    void whiteningCentresAndScalesAllTokensTogether() {
        float[][] whitened = Advantages.whiten(new float[][] {{1, 2}, {3}});

        assertThat(whitened[0]).containsExactly(new float[] {-1, 0}, within(1e-6f));
        assertThat(whitened[1]).containsExactly(new float[] {1}, within(1e-6f));
    }

    @Test
    void groupAdvantagesCompareEachAnswerWithItsSiblings() {
        Advantages advantages = Advantages.grouped(new double[] {1, 3, 2, 2}, 2, new int[] {2, 1, 3, 1});

        float half = (float) (1 / Math.sqrt(2));
        assertThat(advantages.advantages()[0]).containsExactly(new float[] {-half, -half}, within(1e-3f));
        assertThat(advantages.advantages()[1]).containsExactly(new float[] {half}, within(1e-3f));
        assertThat(advantages.advantages()[2]).containsExactly(0, 0, 0);
        assertThat(advantages.returns()).isNull();
        assertThatThrownBy(() -> Advantages.grouped(new double[] {1, 2, 3}, 2, new int[] {1, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decoupledAdvantagesNormaliseEachPartWithinItsGroupBeforeWeighingThem() {
        // two groups of two answers; in group 1 the parts disagree, part 1 by 1 and part 2 by 4
        double[][] parts = {{1, 2, 0, 8}, {4, 0, 2, 2}};
        Advantages advantages = Advantages.decoupled(parts, new double[] {0.5, 0.5}, 2, new int[] {1, 2, 1, 1});

        // a pair normalises to -/+ 1/sqrt(2) whatever its gap, so group 1's parts cancel; group 2 has only
        // part 1's: sums 0, 0, -1/(2 sqrt 2), 1/(2 sqrt 2), standardised over the batch to 0, 0, -/+ sqrt(6)/2
        float edge = (float) (Math.sqrt(6) / 2);
        assertThat(advantages.advantages()[0]).containsExactly(new float[] {0}, within(1e-3f));
        assertThat(advantages.advantages()[1]).containsExactly(new float[] {0, 0}, within(1e-3f));
        assertThat(advantages.advantages()[2]).containsExactly(new float[] {-edge}, within(1e-3f));
        assertThat(advantages.advantages()[3]).containsExactly(new float[] {edge}, within(1e-3f));
        assertThat(advantages.returns()).isNull();
        // normalising the weighted total instead lets part 2's larger gap decide group 1 alone
        Advantages whole = Advantages.grouped(new double[] {2.5, 1, 1, 5}, 2, new int[] {1, 2, 1, 1});
        float half = (float) (1 / Math.sqrt(2));
        assertThat(whole.advantages()[0]).containsExactly(new float[] {half}, within(1e-3f));
        assertThatThrownBy(() -> Advantages.decoupled(parts, new double[] {1}, 2, new int[] {1, 2, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Advantages.decoupled(parts, new double[] {0.5, 0.5}, 3, new int[] {1, 2, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
