package io.recalign.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {

    @Test
    void hitRateCountsTargetsWithinTheCutoff() {
        assertThat(RankingMetrics.hitRate(1, 10)).isEqualTo(1);
        assertThat(RankingMetrics.hitRate(10, 10)).isEqualTo(1);
        assertThat(RankingMetrics.hitRate(11, 10)).isEqualTo(0);
    }

    @Test
    void ndcgDiscountsByLogOfRank() {
        assertThat(RankingMetrics.ndcg(1, 10)).isEqualTo(1);
        assertThat(RankingMetrics.ndcg(3, 10)).isCloseTo(0.5, within(1e-12));
        assertThat(RankingMetrics.ndcg(7, 10)).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(RankingMetrics.ndcg(10, 10)).isCloseTo(1 / (Math.log(11) / Math.log(2)), within(1e-12));
        assertThat(RankingMetrics.ndcg(11, 10)).isEqualTo(0);
        assertThat(RankingMetrics.ndcg(15, 20)).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void averagesOverUsers() {
        // four users: targets ranked 1, 3, 15 and 25 in the full ranking; 1, 2, 11 and 101 among sampled items
        RankingMetrics metrics = RankingMetrics.of(new int[] {1, 3, 15, 25}, new int[] {1, 3, 11, 101});
        assertThat(metrics.hr10()).isEqualTo(0.5);
        assertThat(metrics.ndcg10()).isCloseTo((1 + 0.5) / 4, within(1e-12));
        assertThat(metrics.hr20()).isEqualTo(0.75);
        assertThat(metrics.ndcg20()).isCloseTo((1 + 0.5 + 0.25) / 4, within(1e-12));
        assertThat(metrics.sampledHr10()).isEqualTo(0.5);
        assertThat(metrics.sampledNdcg10()).isCloseTo((1 + 0.5) / 4, within(1e-12));
        assertThat(metrics.users()).isEqualTo(4);
    }

    @Test
    void rejectsRanksBelowOne() {
        assertThatThrownBy(() -> RankingMetrics.ndcg(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
