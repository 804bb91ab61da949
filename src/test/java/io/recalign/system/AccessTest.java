package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.RecalignApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A service started with API keys, an admin token and a database password: the public API needs a key and
 * holds each key to its rate (429 with Retry-After), and none of the secrets reaches the log, not even with
 * request logging of the web and security layers at DEBUG while requests carry them.
 */
@ExtendWith(OutputCaptureExtension.class)
class AccessTest {

    private static final String ADMIN_TOKEN = "admin-secret-5f0c2a91d7";
    private static final String SLOW_KEY = "slow-key-secret-83ad1c";
    private static final String FAST_KEY = "fast-key-secret-2be471";
    private static final String DATABASE_PASSWORD = "db-password-secret-9c4e";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void apiKeysRateLimitsAndNoSecretInTheLog(CapturedOutput output) throws Exception {
        Path home = Files.createDirectories(Path.of("target")).resolve("access-test-home-" + ProcessHandle.current().pid());
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(RecalignApplication.class).properties(
                "server.port=0", "recalign.home=" + home.toAbsolutePath(), "recalign.admin.token=" + ADMIN_TOKEN,
                "recalign.api.keys=" + SLOW_KEY + ":2," + FAST_KEY + ":600", "spring.datasource.password=" + DATABASE_PASSWORD,
                "logging.level.org.springframework.web=DEBUG", "logging.level.org.springframework.security=DEBUG",
                "logging.level.org.apache.coyote.http11=DEBUG").run()) {
            String base = "http://localhost:" + service.getEnvironment().getProperty("local.server.port");

            HttpResponse<String> missing = recommend(base, null);
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(missing.body()).contains("X-API-Key");
            assertThat(recommend(base, "not-a-key").statusCode()).isEqualTo(401);

            for (int i = 0; i < 2; i++) {
                assertThat(recommend(base, SLOW_KEY).statusCode()).as("within the rate").isNotIn(401, 429);
            }
            HttpResponse<String> limited = recommend(base, SLOW_KEY);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(seconds ->
                    assertThat(Long.parseLong(seconds)).isBetween(1L, 30L));
            assertThat(limited.body()).contains("\"status\":429").contains("\"retryAfter\":");
            assertThat(recommend(base, FAST_KEY).statusCode()).as("each key has its own bucket").isNotIn(401, 429);

            HttpResponse<String> admin = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/admin/jobs"))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(admin.statusCode()).as("the admin API needs no API key").isEqualTo(200);
            assertThat(CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("probes need no key").isEqualTo(200);
        }
        assertThat(output.getAll()).as("the service ran with DEBUG request logging").contains("/api/v1/recommendations");
        for (String secret : List.of(ADMIN_TOKEN, SLOW_KEY, FAST_KEY, DATABASE_PASSWORD)) {
            assertThat(output.getAll()).doesNotContain(secret);
        }
    }

    private static HttpResponse<String> recommend(String base, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/recommendations"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"count\":0}"));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
