package io.recalign.teacher;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A stored teacher's metrics under the method's protocol, and how long the evaluation took. */
public record TeacherEvaluation(@JsonProperty("teacher_id") long teacherId, String dataset, RankingMetrics valid,
        RankingMetrics test, double seconds) {
}
