package io.recalign.teacher;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.recalign.catalog.CatalogService;
import io.recalign.system.BadRequestException;
import io.recalign.system.JobContext;
import io.recalign.system.JobHandler;
import io.recalign.system.JobProgress;
import io.recalign.system.JobRequest;
import io.recalign.system.NotFoundException;
import org.springframework.stereotype.Component;

/**
 * The {@code teacher} job: trains a dataset's teacher through {@link TeacherService}, logging one point per
 * epoch (loss, validation metrics, best epoch) and stopping at the next optimizer step when cancelled.
 *
 * <p>Not resumable: a run stopped by a shutdown or a crash fails as interrupted and is started again by
 * hand. Training takes minutes, and the trainer's Adam state lives inside the engine's parameter server,
 * which offers no way to save and restore it.
 */
@Component
class TeacherJobHandler implements JobHandler {

    static final String TYPE = "teacher";

    private final TeacherService teachers;
    private final CatalogService catalog;

    TeacherJobHandler(TeacherService teachers, CatalogService catalog) {
        this.teachers = teachers;
        this.catalog = catalog;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Object validate(JobRequest request) {
        try {
            catalog.dataset(request.requireDataset());
        } catch (NotFoundException e) {
            throw new BadRequestException(e.getMessage());
        }
        return request.params(TeacherJobParams.class);
    }

    @Override
    public void run(JobContext context) {
        TeacherJobParams params = context.params(TeacherJobParams.class);
        context.progress(JobProgress.epochs(0, params.epochs()).withPhase("training"));
        TeacherRecord teacher = teachers.train(context.dataset(), params.config(), params.options(),
                report -> context.log(progress(report)), context::isCancelled, context.jobId());
        context.result(new Result(teacher.id(), teacher.dataset(), teacher.metrics()));
    }

    /** One epoch as a logged point of the job's history. */
    static JobProgress progress(TrainingProgress.EpochReport report) {
        RankingMetrics valid = report.validation();
        return JobProgress.epochs(report.epoch(), report.epochs()).withPhase("training")
                .withLoss(report.loss())
                .withMetric("valid_hr@10", valid.hr10())
                .withMetric("valid_ndcg@10", valid.ndcg10())
                .withMetric("best_epoch", report.bestEpoch())
                .withMetric("sequences/s", report.windows() / report.trainSeconds());
    }

    /** The job's result: the stored teacher's id, its dataset and its metrics. */
    record Result(@JsonProperty("teacher_id") long teacherId, String dataset, @JsonUnwrapped TeacherMetrics metrics) {
    }
}
