package io.recalign.system;

import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/**
 * The job queue as the admin API and features see it: submit (validated by the type's handler before
 * anything is stored), look up, cancel. The jobs themselves run on {@link JobExecutor}.
 */
@Service
public class JobService {

    private static final int CANCEL_ATTEMPTS = 3;

    private final JobRepository jobs;
    private final JobStore store;
    private final JobHandlers handlers;
    private final ObjectProvider<JobExecutor> executor;

    JobService(JobRepository jobs, JobStore store, JobHandlers handlers, ObjectProvider<JobExecutor> executor) {
        this.jobs = jobs;
        this.store = store;
        this.handlers = handlers;
        this.executor = executor;
    }

    /** Validates the request with its type's handler and queues it; a bad request stores nothing. */
    public Job submit(JobRequest request) {
        ObjectNode params = validate(handlers.require(request.type()), request);
        long id = store.insertQueued(request.type(), request.dataset(), JobParams.write(params));
        Job queued = get(id);  // as queued: once woken, the worker may claim it at once
        executor.ifAvailable(JobExecutor::wake);
        return queued;
    }

    public Job get(long id) {
        return jobs.findById(id).orElseThrow(() -> new NotFoundException("no job " + id));
    }

    /** The most recent jobs first, optionally of one status and one type. */
    public List<Job> recent(JobStatus status, String type, int limit) {
        return jobs.findRecent(status, type, Limit.of(limit));
    }

    /** The job types this service runs, alphabetically. */
    public List<String> types() {
        return handlers.types();
    }

    /**
     * Cancels a job: a queued one at once, a running one at its next check (wherever it runs). A
     * finished job cannot be cancelled (409).
     */
    public Job cancel(long id) {
        for (int attempt = 0; attempt < CANCEL_ATTEMPTS; attempt++) {
            Job job = get(id);
            switch (job.getStatus()) {
                case QUEUED -> {
                    if (store.cancelQueued(id)) {
                        return get(id);
                    }
                }
                case RUNNING -> {
                    if (store.requestCancel(id)) {
                        executor.ifAvailable(worker -> worker.cancel(id));
                        return get(id);
                    }
                }
                default -> throw new ConflictException("job " + id + " is already " + job.getStatus() + " and cannot be cancelled");
            }
            // it changed state between the look and the update: look again
        }
        throw new ConflictException("job " + id + " keeps changing state; try again");
    }

    /** Runs the handler's checks; a plain IllegalArgumentException from them is the client's mistake too. */
    static ObjectNode validate(JobHandler handler, JobRequest request) {
        Object params;
        try {
            params = handler.validate(request);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        return JobParams.toObject(params);
    }
}
