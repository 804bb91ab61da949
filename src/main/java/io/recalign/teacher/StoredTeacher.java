package io.recalign.teacher;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A trained teacher as stored: configuration and metrics as JSON, weights as safetensors bytes. Written
 * once, complete; only {@code active} and {@code status} change afterwards (when a newer teacher retires it).
 * Listings read {@link TeacherRow} projections so the weights stay in the database.
 */
@Entity
@Table(name = "teachers")
class StoredTeacher {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "dataset_id", nullable = false)
    private long datasetId;

    @Column(nullable = false)
    private String dataset;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private TeacherStatus status;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String config;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String metrics;

    @Column(nullable = false)
    private byte[] weights;

    @Column(nullable = false)
    private boolean active;

    @Column(name = "job_id")
    private Long jobId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected StoredTeacher() {
    }

    /** A complete teacher that is its dataset's active one from the start. */
    StoredTeacher(long datasetId, String dataset, String configJson, String metricsJson, byte[] weights, Long jobId) {
        this.datasetId = datasetId;
        this.dataset = dataset;
        this.status = TeacherStatus.READY;
        this.active = true;
        this.config = configJson;
        this.metrics = metricsJson;
        this.weights = weights;
        this.jobId = jobId;
        // PostgreSQL keeps microseconds; the record returned now must equal the one read back later
        this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    Long id() {
        return id;
    }

    String dataset() {
        return dataset;
    }

    String config() {
        return config;
    }

    byte[] weights() {
        return weights;
    }

    /** What listings show: everything but the weights. */
    TeacherRow row() {
        return new TeacherRow(id, dataset, status, active, config, metrics, jobId, createdAt);
    }
}
