package io.recalign.admin;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.recalign.system.Job;
import io.recalign.system.JobRepository;
import io.recalign.system.JobStatus;
import io.recalign.system.NotFoundException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read access to the jobs the service runs (training, evaluation). */
@RestController
@RequestMapping("/admin/jobs")
class JobsController {

    private final JobRepository jobs;

    JobsController(JobRepository jobs) {
        this.jobs = jobs;
    }

    /** The most recent jobs, newest first. */
    @GetMapping
    List<JobView> recent(@RequestParam(defaultValue = "20") @Min(1) @Max(1000) int limit) {
        return jobs.findAllByOrderByIdDesc(Limit.of(limit)).stream().map(JobView::of).toList();
    }

    @GetMapping("/{id}")
    JobView one(@PathVariable long id) {
        return jobs.findById(id).map(JobView::of).orElseThrow(() -> new NotFoundException("no job " + id));
    }

    record JobView(long id, String type, JobStatus status, String dataset,
            @JsonRawValue String params, @JsonRawValue String progress, String error,
            Instant createdAt, Instant startedAt, Instant finishedAt) {

        static JobView of(Job job) {
            return new JobView(job.getId(), job.getType(), job.getStatus(), job.getDataset(),
                    job.getParams(), job.getProgress(), job.getError(),
                    job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt());
        }
    }
}
