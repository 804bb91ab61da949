package io.recalign.system;

import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Settles jobs left RUNNING by a process that died (a crash, a kill, a lost node): those its handler
 * can resume go back to the queue with their checkpoints, cancelled ones end cancelled, the rest
 * fail with {@link #INTERRUPTED}. A job whose process is alive holds its lease and is left alone,
 * so every replica may run this at any time.
 */
@Component
class JobRecovery {

    static final String INTERRUPTED = "interrupted: the service stopped while the job was running";

    private static final Logger log = LoggerFactory.getLogger(JobRecovery.class);

    private final DataSource dataSource;
    private final JobStore store;
    private final JobHandlers handlers;
    private final JobMetrics metrics;
    private final RecalignProperties recalign;

    JobRecovery(DataSource dataSource, JobStore store, JobHandlers handlers, JobMetrics metrics,
            RecalignProperties recalign) {
        this.dataSource = dataSource;
        this.store = store;
        this.handlers = handlers;
        this.metrics = metrics;
        this.recalign = recalign;
    }

    /** @return how many orphaned jobs were settled */
    int recoverOrphans() {
        int recovered = 0;
        for (long id : store.runningIds()) {
            Optional<JobLease> orphan = JobLease.adoptOrphan(dataSource, id);
            if (orphan.isPresent()) {
                try (JobLease lease = orphan.get()) {
                    settle(lease);
                    recovered++;
                }
            }
        }
        return recovered;
    }

    private void settle(JobLease lease) {
        JobLease.LeasedJob job = lease.job();
        boolean resumable = handlers.find(job.type()).map(JobHandler::resumable).orElse(false);
        if (resumable && !job.cancelRequested()) {
            lease.requeue(null);
            log.info("Job {} ({}) was interrupted and is queued to resume", job.id(), job.type());
            return;
        }
        JobStatus status = job.cancelRequested() ? JobStatus.CANCELLED : JobStatus.FAILED;
        lease.finish(status, status == JobStatus.FAILED ? INTERRUPTED : null, null);
        metrics.finished(job.type(), status);
        FileSystemUtils.deleteRecursively(JobRun.checkpointDirectory(recalign.home(), job.id()).toFile());
        log.warn("Job {} ({}) was interrupted and is now {}", job.id(), job.type(), status);
    }
}
