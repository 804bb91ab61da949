package io.recalign.system;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the job queue under {@code recalign.jobs.*}.
 *
 * @param pollInterval     how often an idle worker looks for queued jobs submitted elsewhere (jobs
 *                         submitted to this process wake it at once) and for orphaned jobs
 * @param progressInterval least time between two database writes of a job's progress, and between
 *                         two looks at its cancel flag
 * @param shutdownGrace    how long a stopping service waits for the running job to checkpoint and stop
 * @param historySize      most logged points a job's progress keeps (older ones are thinned evenly)
 */
@ConfigurationProperties("recalign.jobs")
public record JobsProperties(@DefaultValue("5s") Duration pollInterval, @DefaultValue("500ms") Duration progressInterval,
        @DefaultValue("20s") Duration shutdownGrace, @DefaultValue("500") int historySize) {

    public JobsProperties {
        requirePositive("poll-interval", pollInterval);
        requirePositive("shutdown-grace", shutdownGrace);
        if (progressInterval.isNegative()) {
            throw new IllegalArgumentException("recalign.jobs.progress-interval must not be negative");
        }
        if (historySize < 2) {
            throw new IllegalArgumentException("recalign.jobs.history-size must be at least 2, not " + historySize);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("recalign.jobs." + name + " must be positive, not " + value);
        }
    }
}
