package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The HTTP surface every feature shares: authentication, problem+json errors, operations endpoints. */
@IntegrationTest
class HttpApiTest {

    private static final String BEARER = "Bearer " + IntegrationTest.ADMIN_TOKEN;

    @Autowired
    RestTestClient http;

    @Test
    void adminApiWithoutTokenIsUnauthorizedProblem() {
        http.get().uri("/admin/jobs").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectBody()
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("Authorization: Bearer"))
                .jsonPath("$.trace").doesNotExist();
    }

    @Test
    void adminApiWithWrongTokenIsUnauthorizedProblem() {
        http.get().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer not-the-token").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("The bearer token is not valid.");
        http.get().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, "Basic " + IntegrationTest.ADMIN_TOKEN).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void adminApiWithTokenAnswers() {
        http.get().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().jsonPath("$").isArray();
    }

    @Test
    void unknownPathIsNotFoundProblemEvenForBrowsers() {
        http.get().uri("/no/such/page").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404).jsonPath("$.instance").isEqualTo("/no/such/page");
        http.get().uri("/api/v1/nothing-here").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void unknownAdminPathNeedsTheTokenFirst() {
        http.get().uri("/admin/nothing-here").exchange().expectStatus().isUnauthorized();
        http.get().uri("/admin/nothing-here").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void wrongMethodIsMethodNotAllowedProblem() {
        http.delete().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.ALLOW, allow -> assertThat(allow).contains("GET"))
                .expectBody().jsonPath("$.status").isEqualTo(405);
    }

    @Test
    void oversizeBodyIsContentTooLargeProblem() {
        byte[] body = new byte[(int) (10 * 1024 * 1024 + 1)];
        http.post().uri("/api/v1/anything").contentType(MediaType.APPLICATION_JSON).body(body).exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.limit").isEqualTo(10 * 1024 * 1024);
    }

    @Test
    void invalidQueryParameterIsBadRequestWithDetails() {
        http.get().uri("/admin/jobs?limit=0").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("limit");
        http.get().uri("/admin/jobs?limit=many").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void healthAndProbesAreUp() {
        for (String path : new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            http.get().uri(path).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("UP");
        }
    }

    @Test
    void prometheusMetricsAreServed() {
        http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(text -> assertThat(text)
                        .contains("jvm_memory_used_bytes")
                        .contains("hikaricp_connections"));
    }

    @Test
    void openApiDescribesTheAdminApiAndItsToken() {
        http.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.openapi").value(String.class, version -> assertThat(version).startsWith("3."))
                .jsonPath("$.paths['/admin/jobs'].get").exists()
                .jsonPath("$.paths['/admin/jobs'].get.security[0]['admin-token']").exists()
                .jsonPath("$.components.securitySchemes['admin-token'].scheme").isEqualTo("bearer");
        http.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
    }

    @Test
    void otherActuatorEndpointsAreNotExposed() {
        http.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
    }
}
