package io.recalign.demo;

import io.recalign.system.BadRequestException;
import io.recalign.system.Job;
import io.recalign.system.JobContext;
import io.recalign.system.JobHandler;
import io.recalign.system.JobProgress;
import io.recalign.system.JobRequest;
import io.recalign.system.JobService;
import org.springframework.beans.factory.ObjectProvider;
import io.recalign.system.JobStatus;
import io.recalign.system.NotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Job type {@code demo}: one step of the demo pipeline in the service's queue. It looks at what the demo
 * dataset has, does the quick stages itself (dataset, instruction set, activation) and queues the next
 * job stage followed by another {@code demo} step, which therefore runs once that stage's job has ended.
 * Everything it decides comes from what is stored, so the chain survives restarts: a step finds what is
 * done and goes on from there.
 *
 * <p>A step that finds other unfinished jobs of the demo dataset (a chain already under way, a resumed
 * training job) leaves the pipeline to them. A step whose stage job failed or was cancelled stops the
 * pipeline, failing with that job's error; the next start of the service tries again, as does a {@code demo}
 * job submitted through the admin API.
 */
@Component
class DemoJobHandler implements JobHandler {

    static final String TYPE = "demo";
    private static final Logger log = LoggerFactory.getLogger(DemoJobHandler.class);

    /**
     * A step's parameters.
     *
     * @param after the job of the stage before this step, or null for the first step of a start
     * @param stage that stage ({@link DemoStage} name), or null
     */
    record Params(Long after, String stage) {

        Params {
            if ((after == null) != (stage == null)) {
                throw new IllegalArgumentException("after and stage go together");
            }
            if (stage != null) {
                DemoStage.valueOf(stage);
            }
        }

        static Params first() {
            return new Params(null, null);
        }
    }

    private final DemoPipeline pipeline;
    /** Lazily: the job service needs every job handler, this one among them. */
    private final ObjectProvider<JobService> jobs;

    DemoJobHandler(DemoPipeline pipeline, ObjectProvider<JobService> jobs) {
        this.pipeline = pipeline;
        this.jobs = jobs;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Object validate(JobRequest request) {
        if (!pipeline.dataset().equals(request.dataset())) {
            throw new BadRequestException("a demo job works on the demo dataset '" + pipeline.dataset() + "'");
        }
        Params params = request.params(Params.class);
        if (params.after() != null) {
            try {
                jobs.getObject().get(params.after());
            } catch (NotFoundException e) {
                throw new BadRequestException("after: " + e.getMessage());
            }
        }
        return params;
    }

    @Override
    public void run(JobContext context) {
        Params params = context.params(Params.class);
        List<Job> unfinished = pipeline.unfinishedJobs().stream()
                .filter(job -> job.getId() != context.jobId()).toList();
        if (!unfinished.isEmpty()) {
            Job first = unfinished.get(0);
            log.info("Demo pipeline: job {} ({}) of dataset {} is unfinished and carries the pipeline on", first.getId(),
                    first.getType(), pipeline.dataset());
            context.result(Map.of("waitingFor", first.getId()));
            return;
        }
        DemoStage previous = params.stage() == null ? null : DemoStage.valueOf(params.stage());
        if (params.after() != null) {
            Job before = jobs.getObject().get(params.after());
            if (before.wasInterrupted()) {
                previous = null;  // the service stopped under the stage: it runs again
            } else {
                requireSucceeded(before, previous);
            }
        }
        advance(context, previous);
    }

    private static void requireSucceeded(Job before, DemoStage stage) {
        if (before.getStatus() != JobStatus.SUCCEEDED) {
            throw new IllegalStateException("the demo pipeline stops: job " + before.getId() + " ("
                    + stage.description() + ") is " + before.getStatus()
                    + (before.getError() == null ? "" : ": " + before.getError())
                    + "; the next start of the service, or a demo job (POST /admin/jobs with type demo), tries again");
        }
    }

    /** Does quick stages until the next job stage, which it queues with the step that follows it. */
    private void advance(JobContext context, DemoStage previous) {
        while (true) {
            DemoState state = pipeline.state();
            DemoStage stage = state.next();
            if (stage == previous) {
                throw new IllegalStateException("the demo pipeline stops: the stage '" + stage.description()
                        + "' ended without its result");
            }
            context.progress(new JobProgress(stage.description(), "stage", stage.ordinal(), DemoStage.count(),
                    null, null, null, null));
            if (stage == DemoStage.DONE) {
                log.info("Demo pipeline of dataset {} is done: model {} serves it\n{}", pipeline.dataset(),
                        state.activeModelId(), DemoReport.tables(pipeline.evaluations(state)));
                context.result(Map.of("done", true, "activeModel", state.activeModelId()));
                return;
            }
            if (stage.isJob()) {
                queue(context, stage, state);
                return;
            }
            String done = pipeline.runStep(stage, state);
            log.info("Demo pipeline, stage {}/{}: {}", stage.number(), DemoStage.count(), done);
            previous = stage;
            context.checkCancelled();
        }
    }

    private void queue(JobContext context, DemoStage stage, DemoState state) {
        Job job = jobs.getObject().submit(pipeline.request(stage, state));
        Job next = jobs.getObject().submit(JobRequest.of(TYPE, pipeline.dataset(), new Params(job.getId(), stage.name())));
        log.info("Demo pipeline, stage {}/{}: {} as job {} (then demo job {})", stage.number(), DemoStage.count(),
                stage.description(), job.getId(), next.getId());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("stage", stage.description());
        result.put("job", job.getId());
        result.put("next", next.getId());
        context.result(result);
    }
}
