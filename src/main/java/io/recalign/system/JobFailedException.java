package io.recalign.system;

/** A job run by {@link ForegroundJobs} failed; the message is the one recorded with the job. */
public class JobFailedException extends RuntimeException {

    private final long jobId;

    JobFailedException(long jobId, String message) {
        super(message);
        this.jobId = jobId;
    }

    public long jobId() {
        return jobId;
    }
}
