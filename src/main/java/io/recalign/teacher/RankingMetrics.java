package io.recalign.teacher;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Next-item metrics averaged over users. Full ranking ranks the target among all items with the
 * user's history masked; the sampled protocol ranks it among 100 items the user never interacted with.
 */
public record RankingMetrics(
        @JsonProperty("hr@10") double hr10,
        @JsonProperty("ndcg@10") double ndcg10,
        @JsonProperty("hr@20") double hr20,
        @JsonProperty("ndcg@20") double ndcg20,
        @JsonProperty("sampled_hr@10") double sampledHr10,
        @JsonProperty("sampled_ndcg@10") double sampledNdcg10,
        int users) {

    /** Metrics of the users' 1-based full-ranking ranks and sampled ranks (same users, same order). */
    static RankingMetrics of(int[] fullRanks, int[] sampledRanks) {
        if (fullRanks.length != sampledRanks.length) {
            throw new IllegalArgumentException("full and sampled ranks differ in length");
        }
        return new RankingMetrics(
                mean(fullRanks, 10, false), mean(fullRanks, 10, true),
                mean(fullRanks, 20, false), mean(fullRanks, 20, true),
                mean(sampledRanks, 10, false), mean(sampledRanks, 10, true),
                fullRanks.length);
    }

    /** 1 when the target is within the top k (1-based rank), else 0. */
    static double hitRate(int rank, int k) {
        requireRank(rank);
        return rank <= k ? 1 : 0;
    }

    /** 1 / log2(rank + 1) when the target is within the top k (1-based rank), else 0: a single relevant item. */
    static double ndcg(int rank, int k) {
        requireRank(rank);
        return rank <= k ? 1 / log2(rank + 1) : 0;
    }

    private static double mean(int[] ranks, int k, boolean discounted) {
        if (ranks.length == 0) {
            return 0;
        }
        double sum = 0;
        for (int rank : ranks) {
            sum += discounted ? ndcg(rank, k) : hitRate(rank, k);
        }
        return sum / ranks.length;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static void requireRank(int rank) {
        if (rank < 1) {
            throw new IllegalArgumentException("ranks are 1-based, got " + rank);
        }
    }
}
