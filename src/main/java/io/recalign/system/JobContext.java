package io.recalign.system;

import java.nio.file.Path;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a running {@link JobHandler} gets from the service: its job, a place for its checkpoints, and
 * the channel for progress, results and stop requests. Meant for the thread that runs the handler.
 */
public interface JobContext {

    long jobId();

    String type();

    /** The dataset the job was submitted for, or null. */
    String dataset();

    /** The stored parameters (what {@link JobHandler#validate} returned), as JSON. */
    ObjectNode params();

    /** The stored parameters bound to the handler's record. */
    <T> T params(Class<T> type);

    /**
     * True when this run continues a job that was interrupted (the service stopped or died while it
     * ran): the handler should load its last checkpoint from {@link #checkpointDirectory()}.
     */
    boolean resuming();

    /**
     * {@code <recalign.home>/jobs/<id>/}, created on first use, kept across restarts while the job is
     * unfinished and deleted when it finishes: save resume state here, nothing that must outlive the job.
     */
    Path checkpointDirectory();

    /** Replaces the job's current progress; cheap to call every step (database writes are throttled). */
    void progress(JobProgress progress);

    /** Like {@link #progress} and also appends the point to the job's history (loss and metric curves). */
    void log(JobProgress progress);

    /**
     * The job's result for its caller, e.g. {@code {"modelId": 7, "test": {...}}}: shown with the job
     * and returned by {@link ForegroundJobs#run}. A record, map or JSON object.
     */
    void result(Object result);

    /** Whether the job should stop now: it was cancelled, or the service is shutting down. */
    boolean isCancelled();

    /**
     * Whether the stop is for a shutdown rather than a cancel: a resumable handler saves its
     * checkpoint before calling {@link #checkCancelled()}, so the next start continues from there.
     */
    boolean isShuttingDown();

    /** Throws {@link JobStoppedException} (a CancellationException) when {@link #isCancelled()}. */
    void checkCancelled();
}
