package io.recalign.teacher;

/** A stored teacher's metrics under the method's protocol, and how long the evaluation took. */
public record TeacherEvaluation(long teacherId, String dataset, RankingMetrics valid, RankingMetrics test,
        double seconds) {
}
