package io.recalign.system;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The service's one training thread. DJL allows a single gradient collector per JVM, so every job
 * (teacher, SFT, RL, evaluation) runs here, one at a time, in the order it was queued. The queue is
 * the {@code jobs} table: at start the worker settles jobs orphaned by a dead process
 * ({@link JobRecovery}); then it claims the oldest queued job, runs it, and sleeps until a submission
 * wakes it or the poll interval passes (jobs queued by another replica or a restart).
 * Commands ({@code recalign.mode=cli}) have no worker: they run their job in the foreground.
 *
 * <p>On shutdown the running job is asked to checkpoint and stop; a resumable job goes back to the
 * queue, any other fails as interrupted. The worker waits {@code recalign.jobs.shutdown-grace} for it.
 */
@Component
@ConditionalOnProperty(name = "recalign.mode", havingValue = "server", matchIfMissing = true)
class JobExecutor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobExecutor.class);

    private final JobRunner runner;
    private final JobRecovery recovery;
    private final JobsProperties properties;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Object monitor = new Object();

    private Thread worker;
    private JobRun current;
    private volatile boolean stopping;

    JobExecutor(JobRunner runner, JobRecovery recovery, JobsProperties properties) {
        this.runner = runner;
        this.recovery = recovery;
        this.properties = properties;
    }

    /** Looks at the queue now instead of at the next poll. */
    void wake() {
        wakeUp.release();
    }

    /** Passes a cancel request to the job if this process runs it (others see the flag in the database). */
    void cancel(long jobId) {
        synchronized (monitor) {
            if (current != null && current.jobId() == jobId) {
                current.requestCancel();
            }
        }
    }

    @Override
    public void start() {
        synchronized (monitor) {
            stopping = false;
            worker = new Thread(this::work, "recalign-jobs");
            // a job stuck in native code must not keep the JVM alive after the context is closed
            worker.setDaemon(true);
            worker.start();
        }
    }

    /** Stops and waits for the running job, at most the shutdown grace. */
    @Override
    public void stop() {
        Thread stopped = signalStop();
        if (stopped != null) {
            awaitWorker(stopped);
        }
    }

    /** Stops without blocking the shutdown thread, so the web server's graceful shutdown runs alongside. */
    @Override
    public void stop(Runnable callback) {
        Thread stopped = signalStop();
        if (stopped == null) {
            callback.run();
            return;
        }
        Thread waiter = new Thread(() -> {
            try {
                awaitWorker(stopped);
            } finally {
                callback.run();
            }
        }, "recalign-jobs-stop");
        waiter.setDaemon(true);
        waiter.start();
    }

    private Thread signalStop() {
        Thread stopped;
        JobRun running;
        synchronized (monitor) {
            stopping = true;
            stopped = worker;
            running = current;
            worker = null;
        }
        if (running != null) {
            log.info("Stopping: asking job {} to checkpoint and stop", running.jobId());
            running.requestShutdown();
        }
        wake();
        return stopped;
    }

    private void awaitWorker(Thread stopped) {
        try {
            stopped.join(properties.shutdownGrace().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopped.isAlive()) {
            log.warn("The running job did not stop within {}; it will be settled at the next start",
                    properties.shutdownGrace());
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (monitor) {
            return worker != null;
        }
    }

    /** Stops with the web server's graceful shutdown, in the same phase, so both wind down together. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    private void work() {
        // a thread's first engine call copies the intra-op thread count set last on any thread, which the
        // inference thread lowers for itself: training sets its own, every core unless DJL is told otherwise
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));
        boolean recovered = false;
        while (!stopping) {
            try {
                if (!recovered) {
                    int settled = recovery.recoverOrphans();
                    if (settled > 0) {
                        log.info("Settled {} interrupted job(s)", settled);
                    }
                    recovered = true;
                }
                Optional<JobRun> next;
                while ((next = claim()).isPresent()) {
                    runClaimed(next.get());
                }
            } catch (RuntimeException e) {
                // typically the database is unreachable: try again at the next poll
                log.warn("Job worker: {}", e.getMessage());
            }
            await(properties.pollInterval());
        }
    }

    private Optional<JobRun> claim() {
        synchronized (monitor) {
            if (stopping) {
                return Optional.empty();
            }
            Optional<JobRun> next = runner.claimNext();
            current = next.orElse(null);
            return next;
        }
    }

    private void runClaimed(JobRun run) {
        try {
            run.execute();
        } finally {
            synchronized (monitor) {
                current = null;
            }
        }
    }

    private void await(Duration timeout) {
        try {
            if (wakeUp.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                wakeUp.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }
}
