package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.IntegrationTest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

/** Every answer carries the security headers, and the content security policy still lets Swagger UI run. */
@IntegrationTest
class SecurityHeadersTest {

    private static final Pattern SCRIPT = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL);

    @Autowired
    RestTestClient http;

    @Test
    void answersErrorsAndPagesCarryTheSecurityHeaders() {
        List<EntityExchangeResult<String>> results = List.of(
                http.get().uri("/admin/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + IntegrationTest.ADMIN_TOKEN)
                        .exchange().expectStatus().isOk().returnResult(String.class),
                http.get().uri("/admin/jobs").exchange().expectStatus().isUnauthorized().returnResult(String.class),
                http.post().uri("/api/v1/recommendations").header("Content-Type", "application/json").body("{\"count\":0}")
                        .exchange().expectStatus().isBadRequest().returnResult(String.class),
                http.get().uri("/no/such/page").exchange().expectStatus().isNotFound().returnResult(String.class),
                http.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk().returnResult(String.class));
        for (EntityExchangeResult<String> result : results) {
            HttpHeaders headers = result.getResponseHeaders();
            assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(headers.getFirst("X-Frame-Options")).isEqualTo("DENY");
            assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(headers.getFirst("Content-Security-Policy")).isEqualTo(SecurityConfiguration.CONTENT_SECURITY_POLICY)
                    .contains("frame-ancestors 'none'");
            assertThat(headers.getFirst(HttpHeaders.CACHE_CONTROL)).contains("no-store");
        }
    }

    @Test
    void withoutConfiguredKeysThePublicApiIsOpen() {
        http.post().uri("/api/v1/recommendations").header("Content-Type", "application/json").body("{\"count\":0}")
                .exchange().expectStatus().isBadRequest(); // validated, not refused for a missing key
    }

    /** Swagger UI loads only same-origin script files, which script-src 'self' allows; no inline script. */
    @Test
    void swaggerUiRunsUnderThePolicy() {
        String page = http.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody();
        Matcher scripts = SCRIPT.matcher(page);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(2)).as("no inline script").isBlank();
            assertThat(scripts.group(1)).contains("src=\"./").doesNotContain("http");
        }
        assertThat(count).isPositive();
        assertThat(page).doesNotContain("<style");
        http.get().uri("/swagger-ui/swagger-initializer.js").exchange().expectStatus().isOk();
        assertThat(SecurityConfiguration.CONTENT_SECURITY_POLICY).contains("script-src 'self'")
                .contains("connect-src 'self'").contains("img-src 'self' data:");
    }
}
