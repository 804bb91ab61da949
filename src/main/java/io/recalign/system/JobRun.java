package io.recalign.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One run of a leased job: the {@link JobContext} its handler sees, and the bookkeeping around the
 * handler (progress writes, stop signals, the final state, the checkpoint directory, metrics).
 */
final class JobRun implements JobContext {

    private static final Logger log = LoggerFactory.getLogger(JobRun.class);

    /** The outcome of a run; {@code QUEUED} means it stopped for a shutdown and waits to be resumed. */
    record Outcome(long jobId, JobStatus status, String error, JsonNode result) {
    }

    private final JobLease lease;
    private final JobLease.LeasedJob job;
    private final JobHandler handler;
    private final ObjectNode params;
    private final Path checkpointDirectory;
    private final long progressIntervalNanos;
    private final ProgressTracker tracker;
    private final Consumer<ProgressUpdate> listener;
    private final JobMetrics metrics;
    private final CountDownLatch done = new CountDownLatch(1);

    private volatile boolean cancelSignal;
    private volatile boolean shutdownSignal;
    private volatile ProgressUpdate latest;
    private long lastFlushNanos;
    private long lastCancelLookNanos;
    private boolean unsaved;

    JobRun(JobLease lease, JobHandler handler, Path home, JobsProperties properties,
            JobMetrics metrics, Consumer<ProgressUpdate> listener) {
        this.lease = lease;
        this.job = lease.job();
        this.handler = handler;
        this.params = JobParams.parseObject(job.params());
        this.checkpointDirectory = checkpointDirectory(home, job.id());
        this.progressIntervalNanos = properties.progressInterval().toNanos();
        this.tracker = new ProgressTracker(JobParams.parseObject(job.progress()), job.resuming(),
                properties.historySize(), System::nanoTime);
        this.metrics = metrics;
        this.listener = listener;
        this.cancelSignal = job.cancelRequested();
        long now = System.nanoTime();
        this.lastFlushNanos = now;
        this.lastCancelLookNanos = now;
    }

    /** {@code <recalign.home>/jobs/<id>}: where a job keeps its resume state while it is unfinished. */
    static Path checkpointDirectory(Path home, long jobId) {
        return home.resolve("jobs").resolve(Long.toString(jobId));
    }

    /** Runs the handler to its end and records how it ended; releases the lease. */
    Outcome execute() {
        try (lease; JobMetrics.RunningGauges gauges = metrics.running(job.type(), () -> latest)) {
            log.info("Job {} ({}) {}", job.id(), job.type(), job.resuming() ? "resumes" : "starts");
            Outcome outcome = runHandler();
            record(outcome);
            return outcome;
        } finally {
            done.countDown();
        }
    }

    /** Asks the job to stop and stay cancelled. */
    void requestCancel() {
        cancelSignal = true;
    }

    /** Asks the job to checkpoint and stop because the process is stopping. */
    void requestShutdown() {
        shutdownSignal = true;
    }

    /** Waits for the run to end; false when it is still going after {@code timeout}. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private Outcome runHandler() {
        try {
            handler.run(this);
            return outcome(JobStatus.SUCCEEDED, null);
        } catch (CancellationException e) {
            if (cancelSignal) {
                return outcome(JobStatus.CANCELLED, null);
            }
            if (shutdownSignal) {
                return handler.resumable() ? outcome(JobStatus.QUEUED, null)
                        : outcome(JobStatus.FAILED, JobRecovery.INTERRUPTED);
            }
            return failed(e);
        } catch (Exception | LinkageError | AssertionError | OutOfMemoryError | StackOverflowError e) {
            return failed(e);
        }
    }

    private Outcome failed(Throwable error) {
        log.warn("Job {} ({}) failed", job.id(), job.type(), error);
        return outcome(JobStatus.FAILED, CliErrors.message(error));
    }

    private Outcome outcome(JobStatus status, String error) {
        synchronized (this) {
            return new Outcome(job.id(), status, error, tracker.result());
        }
    }

    private synchronized void record(Outcome outcome) {
        String progress = tracker.json();
        if (outcome.status() == JobStatus.QUEUED) {
            lease.requeue(progress);
            log.info("Job {} ({}) stopped for shutdown and will resume", job.id(), job.type());
            return;
        }
        lease.finish(outcome.status(), outcome.error(), progress);
        metrics.finished(job.type(), outcome.status());
        FileSystemUtils.deleteRecursively(checkpointDirectory.toFile());
        log.info("Job {} ({}) {}", job.id(), job.type(), outcome.status());
    }

    @Override
    public long jobId() {
        return job.id();
    }

    @Override
    public String type() {
        return job.type();
    }

    @Override
    public String dataset() {
        return job.dataset();
    }

    @Override
    public ObjectNode params() {
        return params.deepCopy();
    }

    @Override
    public <T> T params(Class<T> type) {
        return JobParams.bind(params, type);
    }

    @Override
    public boolean resuming() {
        return job.resuming();
    }

    @Override
    public Path checkpointDirectory() {
        try {
            return Files.createDirectories(checkpointDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the checkpoint directory of job " + job.id(), e);
        }
    }

    @Override
    public void progress(JobProgress progress) {
        report(progress, false);
    }

    @Override
    public void log(JobProgress progress) {
        report(progress, true);
    }

    private void report(JobProgress progress, boolean logged) {
        ProgressUpdate update;
        synchronized (this) {
            update = tracker.update(job.id(), progress, logged);
            latest = update;
            unsaved = true;
            saveIfDue();
        }
        listener.accept(update);
    }

    @Override
    public synchronized void result(Object result) {
        tracker.result(JobParams.toTree(result));
        unsaved = true;
        saveIfDue();
    }

    @Override
    public boolean isCancelled() {
        if (cancelSignal || shutdownSignal) {
            return true;
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (now - lastCancelLookNanos >= progressIntervalNanos) {
                lastCancelLookNanos = now;
                try {
                    cancelSignal = lease.cancelRequested();
                } catch (RuntimeException e) {
                    log.warn("Job {}: cannot read its cancel flag ({})", job.id(), e.getMessage());
                }
            }
        }
        return cancelSignal;
    }

    @Override
    public boolean isShuttingDown() {
        return shutdownSignal;
    }

    @Override
    public void checkCancelled() {
        if (isCancelled()) {
            throw new JobStoppedException(job.id(), shutdownSignal && !cancelSignal);
        }
    }

    /** Progress goes to the database at most once per interval; the final state always carries the last. */
    private void saveIfDue() {
        long now = System.nanoTime();
        if (!unsaved || now - lastFlushNanos < progressIntervalNanos) {
            return;
        }
        lastFlushNanos = now;
        unsaved = false;
        try {
            lease.saveProgress(tracker.json());
        } catch (RuntimeException e) {
            log.warn("Job {}: cannot save its progress ({})", job.id(), e.getMessage());
        }
    }
}
