package io.recalign.teacher;

import java.time.Instant;

/** A stored teacher without its weights, as listings read it; configuration and metrics as JSON. */
record TeacherRow(long id, String dataset, TeacherStatus status, boolean active, String config, String metrics,
        Long jobId, Instant createdAt) {
}
