package io.recalign.system;

import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/** Leases jobs and prepares their runs; the background worker and foreground commands share it. */
@Component
class JobRunner {

    private final DataSource dataSource;
    private final JobHandlers handlers;
    private final JobsProperties properties;
    private final RecalignProperties recalign;
    private final JobMetrics metrics;

    JobRunner(DataSource dataSource, JobHandlers handlers, JobsProperties properties, RecalignProperties recalign,
            JobMetrics metrics) {
        this.dataSource = dataSource;
        this.handlers = handlers;
        this.properties = properties;
        this.recalign = recalign;
        this.metrics = metrics;
    }

    /** The oldest queued job this process has a handler for, leased and ready to run. */
    Optional<JobRun> claimNext() {
        return JobLease.claimNext(dataSource, handlers.types()).map(lease -> prepare(lease, update -> { }));
    }

    /** A new job that is RUNNING at once, for a command that runs it on its own thread. */
    JobRun startNow(String type, String dataset, String paramsJson, Consumer<ProgressUpdate> listener) {
        return prepare(JobLease.startNow(dataSource, type, dataset, paramsJson), listener);
    }

    private JobRun prepare(JobLease lease, Consumer<ProgressUpdate> listener) {
        try {
            JobHandler handler = handlers.find(lease.job().type()).orElseThrow(() ->
                    new IllegalStateException("no handler for job type '" + lease.job().type() + "'"));
            return new JobRun(lease, handler, recalign.home(), properties, metrics, listener);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }
}
