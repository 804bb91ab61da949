package io.recalign.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of one evaluation: per test task, the number of lists judged and the averages.
 *
 * @param users the users evaluated (every task covers at most this many lists)
 * @param tasks one entry per test task that had at least one list, in table order
 */
public record EvaluationOutcome(int users, List<TaskMetrics> tasks) {

    public EvaluationOutcome {
        tasks = List.copyOf(tasks);
    }

    /** One task's row: its code (as {@link io.recalign.tasks.TaskFamily#code()}), list count and metrics. */
    public record TaskMetrics(String task, int lists, Map<String, Double> metrics) {
        public TaskMetrics {
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }
}
