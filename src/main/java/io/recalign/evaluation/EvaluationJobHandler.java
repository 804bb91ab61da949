package io.recalign.evaluation;

import io.recalign.system.BadRequestException;
import io.recalign.system.JobContext;
import io.recalign.system.JobHandler;
import io.recalign.system.JobProgress;
import io.recalign.system.JobRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Job type {@code evaluation}: evaluates the teacher or a registry model on the job's dataset and stores
 * the results. Its result is {@code {"evaluationId": ..., "tasks": [...]}}.
 */
@Component
class EvaluationJobHandler implements JobHandler {

    static final String TYPE = "evaluation";

    /**
     * The job's parameters.
     *
     * @param model     {@code teacher} or a registry model id (required)
     * @param decoding  {@code free} (default for models) or {@code guided}; none for the teacher
     * @param users     test users to sample, all when absent
     * @param seed      sample and ItemCount seed, 42 when absent
     * @param batchSize prompts per generation batch, 16 when absent
     */
    record Params(String model, String decoding, Integer users, Long seed, Integer batchSize) {
    }

    private final EvaluationService evaluations;

    EvaluationJobHandler(EvaluationService evaluations) {
        this.evaluations = evaluations;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Object validate(JobRequest request) {
        Params params = request.params(Params.class);
        if (params.model() == null || params.model().isBlank()) {
            throw new BadRequestException("an evaluation needs a model: 'teacher' or a registry model id");
        }
        EvaluationService.Resolved resolved = evaluations.check(toRequest(request.dataset(), params));
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("model", resolved.teacher() ? EvaluationService.TEACHER : Long.toString(resolved.model().id()));
        if (!resolved.teacher()) {
            stored.put("decoding", resolved.decoding().label());
        }
        stored.put("users", params.users());
        stored.put("seed", resolved.request().seed());
        stored.put("batchSize", resolved.request().batchSize());
        return stored;
    }

    @Override
    public void run(JobContext context) {
        Params params = context.params(Params.class);
        EvaluationService.Resolved resolved = evaluations.check(toRequest(context.dataset(), params));
        context.progress(new JobProgress("preparing", "prompt", 0, 0, null, null, null, null));
        StoredEvaluation stored = evaluations.evaluate(resolved, context.jobId(), (done, total) -> {
            context.progress(new JobProgress("answering", "prompt", done, total, null, null, null, null));
            context.checkCancelled();
        });
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("evaluationId", stored.id());
        result.put("users", stored.users());
        result.put("tasks", stored.tasks());
        context.result(result);
    }

    private static EvaluationService.Request toRequest(String dataset, Params params) {
        return new EvaluationService.Request(dataset, params.model(), params.decoding(), params.users(),
                params.seed() == null ? EvaluationService.DEFAULT_SEED : params.seed(),
                params.batchSize() == null ? EvaluationService.DEFAULT_BATCH_SIZE : params.batchSize());
    }
}
