package io.recalign.alignment;

import io.recalign.system.JobProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optimizer updates a training run skipped because their gradient was not finite (they change no
 * weight): each is logged, and once there is one the progress shows how many as {@code skipped_updates}.
 */
final class SkippedUpdates {

    private static final Logger log = LoggerFactory.getLogger(SkippedUpdates.class);

    private final String run;
    private int count;

    /** @param run what the log lines name, such as "SFT" */
    SkippedUpdates(String run) {
        this.run = run;
    }

    /** Counts the {@code skipped} of a step's {@code updates} and returns the step's progress with the total. */
    JobProgress add(long step, int skipped, int updates, JobProgress progress) {
        if (skipped > 0) {
            count += skipped;
            log.warn("{} step {}: {} of its {} update(s) had a non-finite gradient and changed no weight ({} in this run)",
                    run, step, skipped, updates, count);
        }
        return count > 0 ? progress.withMetric("skipped_updates", count) : progress;
    }
}
