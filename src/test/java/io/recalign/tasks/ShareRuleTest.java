package io.recalign.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.tasks.RateKind;
import org.junit.jupiter.api.Test;

class ShareRuleTest {

    @Test
    void reachableAgreesWithTryingEveryCompletion() {
        for (RateKind kind : RateKind.values()) {
            for (int count = 1; count <= 8; count++) {
                for (double fraction : new double[] {0, 0.2, 0.3, 0.5, 0.8, 1}) {
                    ShareRule rule = ShareRule.of(0, kind, fraction, count);
                    for (int in = 0; in <= count; in++) {
                        for (int remaining = 0; in + remaining <= count; remaining++) {
                            for (int availableIn = 0; availableIn <= count; availableIn++) {
                                for (int availableOut = 0; availableOut <= count; availableOut++) {
                                    assertThat(rule.reachable(in, remaining, availableIn, availableOut))
                                            .as("%s k=%d in=%d remaining=%d available %d/%d", kind, rule.k(), in, remaining,
                                                    availableIn, availableOut)
                                            .isEqualTo(bruteForce(rule, in, remaining, availableIn, availableOut));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void boundsFollowTheRule() {
        ShareRule atLeast = ShareRule.of(3, RateKind.AT_LEAST, 0.4, 5);
        assertThat(atLeast.k()).isEqualTo(2);
        assertThat(atLeast.fewest()).isEqualTo(2);
        assertThat(atLeast.most()).isEqualTo(5);
        ShareRule about = ShareRule.of(3, RateKind.ABOUT, 0.3, 10);
        assertThat(about.fewest()).isEqualTo(2);
        assertThat(about.most()).isEqualTo(4);
        ShareRule atMost = ShareRule.of(3, RateKind.AT_MOST, 0.25, 10);
        assertThat(atMost.fewest()).isZero();
        assertThat(atMost.most()).isEqualTo(2);
        assertThat(atMost.mayTakeIn(2, 3, 5, 5)).isFalse();
        assertThat(atMost.mayTakeOut(2, 3, 5, 5)).isTrue();
        assertThat(atLeast.mayTakeOut(0, 2, 5, 5)).isFalse();
    }

    private static boolean bruteForce(ShareRule rule, int in, int remaining, int availableIn, int availableOut) {
        for (int takeIn = 0; takeIn <= remaining; takeIn++) {
            if (takeIn <= availableIn && remaining - takeIn <= availableOut && rule.accepts(in + takeIn)) {
                return true;
            }
        }
        return false;
    }
}
