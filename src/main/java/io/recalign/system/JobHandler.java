package io.recalign.system;

/**
 * One kind of long-running work ({@code teacher}, {@code sft}, {@code rl}, {@code evaluation}): a
 * Spring bean per type. The service validates a submission with {@link #validate} before anything is
 * queued, then runs it with {@link #run} on the single training thread, in the service's background
 * worker or in the foreground of a command ({@link ForegroundJobs}).
 */
public interface JobHandler {

    /** The job type clients name in {@code POST /admin/jobs}, e.g. {@code teacher}. */
    String type();

    /**
     * Checks a submission and returns the parameters to store with the job: typically the request's
     * parameters bound to the handler's own record ({@link JobRequest#params(Class)}), defaults filled
     * in, so that the stored job says exactly what will run. Anything wrong (unknown dataset, missing
     * base model, a parameter out of range) throws a {@link ProblemException}, usually
     * {@link BadRequestException}, with a message that names the offending field.
     *
     * @return a record, map or {@code ObjectNode} that serialises to a JSON object
     */
    Object validate(JobRequest request);

    /**
     * Does the work. Returning normally means success; throwing means failure, with the exception's
     * message recorded for the client. Long loops call {@link JobContext#checkCancelled()} between
     * steps; that throws when the job was cancelled or the service is stopping, which ends the job as
     * cancelled, re-queued or interrupted rather than failed.
     */
    void run(JobContext context) throws Exception;

    /**
     * Whether a run can continue from the state it saved in {@link JobContext#checkpointDirectory()}:
     * such jobs are re-queued when the service stops or dies while they run, and the next run sees
     * {@link JobContext#resuming()}. Others are marked failed ("interrupted").
     */
    default boolean resumable() {
        return false;
    }
}
