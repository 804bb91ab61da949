package io.recalign.admin;

import io.recalign.IntegrationTest;
import io.recalign.system.Job;
import io.recalign.system.JobRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

@IntegrationTest
class JobsControllerTest {

    private static final String BEARER = "Bearer " + IntegrationTest.ADMIN_TOKEN;

    @Autowired
    RestTestClient http;

    @Autowired
    JobRepository jobs;

    @Test
    void listsNewestJobsFirstUpToTheLimit() {
        Job first = jobs.save(new Job("sft", "jobs-list", "{}"));
        Job second = jobs.save(new Job("rl", "jobs-list", "{}"));
        Job third = jobs.save(new Job("evaluation", "jobs-list", "{}"));

        http.get().uri("/admin/jobs?limit=2").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].id").isEqualTo(third.getId())
                .jsonPath("$[1].id").isEqualTo(second.getId());
        http.get().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.id == " + first.getId() + ")].type").isEqualTo("sft");
    }

    @Test
    void showsOneJobWithItsJsonDocuments() {
        Job job = new Job("teacher", "jobs-one", "{\"epochs\": 3}");
        job.start();
        job.reportProgress("{\"epoch\": 2, \"loss\": 0.25}");
        Job saved = jobs.save(job);

        http.get().uri("/admin/jobs/{id}", saved.getId()).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.type").isEqualTo("teacher")
                .jsonPath("$.status").isEqualTo("RUNNING")
                .jsonPath("$.dataset").isEqualTo("jobs-one")
                .jsonPath("$.params.epochs").isEqualTo(3)
                .jsonPath("$.progress.loss").isEqualTo(0.25)
                .jsonPath("$.startedAt").exists()
                .jsonPath("$.finishedAt").doesNotExist();
    }

    @Test
    void missingJobIsNotFoundProblem() {
        http.get().uri("/admin/jobs/{id}", Long.MAX_VALUE).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("no job " + Long.MAX_VALUE);
    }
}
