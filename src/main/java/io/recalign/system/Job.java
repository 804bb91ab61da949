package io.recalign.system;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One long-running piece of work (training, evaluation). Parameters and progress are JSON documents
 * owned by the job's type; this class only tracks the life cycle.
 */
@Entity
@Table(name = "jobs")
public class Job {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String type;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private JobStatus status;

    private String dataset;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String params;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String progress;

    private String error;

    @Column(name = "cancel_requested", nullable = false)
    private boolean cancelRequested;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    protected Job() {
    }

    /**
     * @param type       what kind of work, e.g. {@code teacher}
     * @param dataset    the dataset it works on, or null
     * @param paramsJson the job's parameters as a JSON object
     */
    public Job(String type, String dataset, String paramsJson) {
        this.type = type;
        this.dataset = dataset;
        this.params = paramsJson;
        this.progress = "{}";
        this.status = JobStatus.QUEUED;
        this.createdAt = Instant.now();
    }

    public void start() {
        requireStatus(JobStatus.QUEUED);
        status = JobStatus.RUNNING;
        startedAt = Instant.now();
    }

    /** Replaces the progress document (a JSON object, e.g. {@code {"step":10,"loss":1.2}}). */
    public void reportProgress(String progressJson) {
        requireStatus(JobStatus.RUNNING);
        progress = progressJson;
    }

    public void succeed() {
        requireStatus(JobStatus.RUNNING);
        finish(JobStatus.SUCCEEDED);
    }

    public void fail(String message) {
        requireNotFinal();
        error = message;
        finish(JobStatus.FAILED);
    }

    public void cancel() {
        requireNotFinal();
        finish(JobStatus.CANCELLED);
    }

    private void finish(JobStatus finalStatus) {
        status = finalStatus;
        finishedAt = Instant.now();
    }

    private void requireNotFinal() {
        if (status.isFinal()) {
            throw new IllegalStateException("job " + id + " is already " + status);
        }
    }

    private void requireStatus(JobStatus expected) {
        if (status != expected) {
            throw new IllegalStateException("job " + id + " is " + status + ", not " + expected);
        }
    }

    public Long getId() {
        return id;
    }

    public String getType() {
        return type;
    }

    public JobStatus getStatus() {
        return status;
    }

    public String getDataset() {
        return dataset;
    }

    public String getParams() {
        return params;
    }

    public String getProgress() {
        return progress;
    }

    /** Whether the job failed only because the service stopped under it (it may simply run again). */
    public boolean wasInterrupted() {
        return status == JobStatus.FAILED && JobRecovery.INTERRUPTED.equals(error);
    }

    public String getError() {
        return error;
    }

    /** Someone asked to cancel the job while it was running; it stops at its next check. */
    public boolean isCancelRequested() {
        return cancelRequested;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }
}
