package io.recalign.system;

import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs a job on the calling thread, for commands: {@code teacher train}, {@code sft} and the like use
 * the same handlers as the service, show a {@link ProgressBar} and print the result. The job is a row
 * of the {@code jobs} table like any other, so the history keeps it and the admin API can watch (and
 * cancel) it. Interrupting the command (Ctrl-C) cancels the job.
 */
@Component
@ConditionalOnProperty(name = "recalign.mode", havingValue = "cli")
public class ForegroundJobs implements SmartLifecycle {

    private final JobRunner runner;
    private final JobHandlers handlers;
    private final JobsProperties properties;
    private volatile JobRun current;
    private volatile boolean running;

    ForegroundJobs(JobRunner runner, JobHandlers handlers, JobsProperties properties) {
        this.runner = runner;
        this.handlers = handlers;
        this.properties = properties;
    }

    /**
     * Validates and runs the job, reporting each progress update to {@code listener}.
     *
     * @return the job's result ({@link JobContext#result}), or null when it set none
     * @throws BadRequestException   when the handler rejects the request (nothing is stored)
     * @throws JobFailedException    when the job failed; the message is the recorded error
     * @throws CancellationException when the job was cancelled
     */
    public JsonNode run(JobRequest request, Consumer<ProgressUpdate> listener) {
        ObjectNode params = JobService.validate(handlers.require(request.type()), request);
        JobRun run = runner.startNow(request.type(), request.dataset(), JobParams.write(params), listener);
        current = run;
        JobRun.Outcome outcome;
        try {
            outcome = run.execute();
        } finally {
            current = null;
        }
        return switch (outcome.status()) {
            case SUCCEEDED -> outcome.result();
            case FAILED -> throw new JobFailedException(outcome.jobId(), "job " + outcome.jobId() + " failed: " + outcome.error());
            default -> throw new CancellationException("job " + outcome.jobId() + " was cancelled");
        };
    }

    @Override
    public void start() {
        running = true;
    }

    /** The command is being interrupted: cancel its job and give it the shutdown grace to stop. */
    @Override
    public void stop() {
        running = false;
        JobRun run = current;
        if (run != null) {
            run.requestCancel();
            try {
                run.awaitEnd(properties.shutdownGrace());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
