package io.recalign.evaluation;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stored evaluation run and its results per test task.
 *
 * @param model     {@code teacher}, or the registry id of the model
 * @param modelId   the registry id, or null for the teacher
 * @param modelKind {@code TEACHER}, {@code BASE}, {@code SFT} or {@code RL}
 * @param teacherId the stored teacher that answered or chose the LP categories, or null when it is gone
 * @param decoding  {@code top-k} (teacher), {@code free} or {@code guided}
 * @param users     users evaluated
 * @param settings  requested sample size, seed, batch size and the run's duration in seconds
 * @param jobId     the job that ran it, or null
 * @param tasks     metrics per task, in table order
 */
public record StoredEvaluation(long id, String dataset, String model, Long modelId, String modelKind, Long teacherId,
                               String decoding, int users, Map<String, Object> settings, Long jobId,
                               Instant createdAt, List<EvaluationOutcome.TaskMetrics> tasks) {

    public StoredEvaluation {
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        tasks = List.copyOf(tasks);
    }

    /** The row label of reports: "teacher", "SFT #12", "RL #15 guided". */
    public String label() {
        String name = modelId == null ? "teacher" : modelKind + " #" + modelId;
        return decoding.equals(Decoding.GUIDED.label()) ? name + " guided"
                : decoding.equals(Decoding.FREE.label()) ? name + " free" : name;
    }
}
