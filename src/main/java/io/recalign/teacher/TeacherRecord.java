package io.recalign.teacher;

import java.time.Instant;

/**
 * A stored teacher as the rest of the service sees it (its weights stay in the database).
 *
 * @param active whether it is its dataset's active teacher (at most one per dataset)
 * @param jobId  the job that trained it, or null
 */
public record TeacherRecord(long id, String dataset, TeacherStatus status, boolean active, TeacherConfig config,
        TeacherMetrics metrics, Long jobId, Instant createdAt) {

    static TeacherRecord of(TeacherRow row) {
        return new TeacherRecord(row.id(), row.dataset(), row.status(), row.active(),
                TeacherJson.read(row.config(), TeacherConfig.class), TeacherJson.read(row.metrics(), TeacherMetrics.class),
                row.jobId(), row.createdAt());
    }
}
