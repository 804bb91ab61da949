package io.recalign.admin;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.recalign.system.BadRequestException;
import io.recalign.system.Job;
import io.recalign.system.JobRequest;
import io.recalign.system.JobService;
import io.recalign.system.JobStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The jobs the service runs (training, evaluation): submit, watch, cancel. */
@RestController
@RequestMapping("/admin/jobs")
class JobsController {

    private final JobService jobs;

    JobsController(JobService jobs) {
        this.jobs = jobs;
    }

    /**
     * Queues a job after its type has checked the request: 202 with the job and its Location. The
     * top-level {@code baseModel}, {@code fromModel} and {@code model} are stored among the params.
     */
    @PostMapping
    ResponseEntity<JobView> submit(@RequestBody SubmitJob body) {
        Job job = jobs.submit(body.toRequest());
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(job.getId()).toUri();
        return ResponseEntity.accepted().location(location).body(JobView.of(job));
    }

    /** The most recent jobs, newest first, optionally of one status and one type. */
    @GetMapping
    List<JobView> recent(@RequestParam(required = false) String status, @RequestParam(required = false) String type,
            @RequestParam(defaultValue = "20") @Min(1) @Max(1000) int limit) {
        return jobs.recent(parseStatus(status), type == null || type.isBlank() ? null : type, limit)
                .stream().map(JobView::of).toList();
    }

    @GetMapping("/{id}")
    JobView one(@PathVariable long id) {
        return JobView.of(jobs.get(id));
    }

    /** A queued job is cancelled at once, a running one at its next check: 202 either way. */
    @PostMapping("/{id}/cancel")
    ResponseEntity<JobView> cancel(@PathVariable long id) {
        return ResponseEntity.accepted().body(JobView.of(jobs.cancel(id)));
    }

    private static JobStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return JobStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("unknown job status '" + status + "'; one of: " + Arrays.stream(JobStatus.values())
                    .map(value -> value.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    /**
     * A job submission.
     *
     * @param type      the job type, e.g. {@code teacher}, {@code sft}
     * @param dataset   the dataset it works on
     * @param params    the type's parameters
     * @param baseModel a Hugging Face model directory to start from (stored as {@code params.baseModel})
     * @param fromModel a registered model to continue from (stored as {@code params.fromModel})
     * @param model     a registered model to work on, e.g. to evaluate (stored as {@code params.model})
     * @param unknown   any other member, which is an error
     */
    record SubmitJob(String type, String dataset, JsonNode params, String baseModel, String fromModel, String model,
            @JsonAnySetter @Schema(hidden = true) Map<String, Object> unknown) {

        JobRequest toRequest() {
            if (unknown != null && !unknown.isEmpty()) {
                throw new BadRequestException("unknown field '" + unknown.keySet().iterator().next()
                        + "'; a job has type, dataset, params, baseModel, fromModel and model");
            }
            if (params != null && !params.isNull() && !params.isObject()) {
                throw new BadRequestException("params must be a JSON object");
            }
            ObjectNode merged = params instanceof ObjectNode object ? object.deepCopy() : JsonNodeFactory.instance.objectNode();
            Map<String, String> topLevel = new LinkedHashMap<>();
            topLevel.put("baseModel", baseModel);
            topLevel.put("fromModel", fromModel);
            topLevel.put("model", model);
            topLevel.forEach((name, value) -> {
                if (value == null) {
                    return;
                }
                JsonNode inParams = merged.get(name);
                if (inParams != null && !inParams.isNull() && !value.equals(inParams.asString())) {
                    throw new BadRequestException(name + " is given twice with different values, at the top level and in params");
                }
                merged.put(name, value);
            });
            return new JobRequest(type, dataset, merged);
        }
    }

    record JobView(long id, String type, JobStatus status, String dataset,
            @JsonRawValue String params, @JsonRawValue String progress, String error, boolean cancelRequested,
            Instant createdAt, Instant startedAt, Instant finishedAt) {

        static JobView of(Job job) {
            return new JobView(job.getId(), job.getType(), job.getStatus(), job.getDataset(),
                    job.getParams(), job.getProgress(), job.getError(), job.isCancelRequested(),
                    job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt());
        }
    }
}
