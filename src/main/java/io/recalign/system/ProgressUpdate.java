package io.recalign.system;

/**
 * A progress report as the service sees it: the handler's {@link JobProgress} plus timing.
 *
 * @param jobId          the job
 * @param progress       what the handler reported
 * @param elapsedSeconds time the job has run, over all its runs when it was resumed
 * @param unitsPerSecond progress rate of this run, or null until it can be measured
 * @param etaSeconds     estimated time to the total at that rate, or null when unknown
 * @param logged         whether this report is a point of the job's history (an epoch, a logging step)
 */
public record ProgressUpdate(long jobId, JobProgress progress, double elapsedSeconds, Double unitsPerSecond,
        Double etaSeconds, boolean logged) {
}
