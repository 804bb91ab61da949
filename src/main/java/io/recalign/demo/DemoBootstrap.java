package io.recalign.demo;

import io.recalign.system.Job;
import io.recalign.system.JobRequest;
import io.recalign.system.JobService;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The service's first run: once it is ready on a database without any dataset, it queues the first
 * {@code demo} step, which creates the demo dataset and chains teacher, instruction set, SFT, RL,
 * evaluations and activation as background jobs. A later start finishes a pipeline that is under way
 * (queueing a step that carries on from what is stored) and does nothing once the demo dataset serves a
 * model, or when the database holds other datasets only. Off with {@code recalign.demo.enabled=false}.
 */
@Component
@ConditionalOnProperty(name = "recalign.mode", havingValue = "server", matchIfMissing = true)
class DemoBootstrap {

    private static final Logger log = LoggerFactory.getLogger(DemoBootstrap.class);

    private final DemoPipeline pipeline;
    private final JobService jobs;

    DemoBootstrap(DemoPipeline pipeline, JobService jobs) {
        this.pipeline = pipeline;
        this.jobs = jobs;
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        if (!pipeline.settings().enabled()) {
            return;
        }
        try {
            start();
        } catch (RuntimeException e) {
            // the service itself is fine: the pipeline waits for the next start
            log.warn("Demo pipeline not started: {}", e.getMessage());
        }
    }

    /** Queues the pipeline's next step when it has work to do; the step queued, if any. */
    Optional<Job> start() {
        String dataset = pipeline.dataset();
        DemoState state = pipeline.state();
        DemoStage next = state.next();
        if (next == DemoStage.DONE || (!state.datasetExists() && !pipeline.databaseEmpty())) {
            return Optional.empty();
        }
        Job job = jobs.submit(JobRequest.of(DemoJobHandler.TYPE, dataset, DemoJobHandler.Params.first()));
        log.info(state.datasetExists()
                        ? "Demo pipeline of dataset {} continues with stage {}/{} ({}) in job {}; follow it in GET /admin/jobs"
                        : "Empty database: the demo pipeline creates dataset {} and trains it, starting with stage {}/{} ({})"
                                + " in job {}; follow it in GET /admin/jobs",
                dataset, next.number(), DemoStage.count(), next.description(), job.getId());
        return Optional.of(job);
    }
}
