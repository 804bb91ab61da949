package io.recalign.evaluation;

import io.recalign.evaluation.Metrics.ListScore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Averages list scores over the lists of one task. Category metrics appear only when the task's lists
 * carry them (a task with a C, a task with a share rule).
 */
final class MetricAverages {

    private int lists;
    private double recall;
    private double ndcg;
    private long nonExistent;
    private long repeats;
    private long inHistory;
    private long exactCount;
    private long inCategory;
    private int categoryLists;
    private long rateCorrect;
    private int rateLists;

    void add(ListScore score) {
        lists++;
        recall += score.recall();
        ndcg += score.ndcg();
        nonExistent += score.nonExistent();
        repeats += score.repeats();
        inHistory += score.inHistory();
        exactCount += score.exactCount() ? 1 : 0;
        if (score.inCategory() >= 0) {
            categoryLists++;
            inCategory += score.inCategory();
        }
        if (score.rateCorrect() >= 0) {
            rateLists++;
            rateCorrect += score.rateCorrect();
        }
    }

    int lists() {
        return lists;
    }

    /** The averages in {@link Metrics#NAMES} order; empty when no list was added. */
    Map<String, Double> averages() {
        Map<String, Double> averages = new LinkedHashMap<>();
        if (lists == 0) {
            return averages;
        }
        averages.put(Metrics.RECALL, recall / lists);
        averages.put(Metrics.NDCG, ndcg / lists);
        averages.put(Metrics.NON_EXIST_RATE, (double) nonExistent / lists);
        averages.put(Metrics.REPEAT_RATE, (double) repeats / lists);
        averages.put(Metrics.IN_HISTORY_RATE, (double) inHistory / lists);
        averages.put(Metrics.CORRECT_COUNT, (double) exactCount / lists);
        if (categoryLists > 0) {
            averages.put(Metrics.TARGET_CATEGORY_RATE, (double) inCategory / categoryLists);
        }
        if (rateLists > 0) {
            averages.put(Metrics.CATEGORY_RATE_CORRECT, (double) rateCorrect / rateLists);
        }
        return averages;
    }
}
