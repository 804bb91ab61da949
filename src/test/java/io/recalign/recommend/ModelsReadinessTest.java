package io.recalign.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.registry.HealthContributorRegistry;

/** The service's readiness probe waits for the served models. */
@IntegrationTest
class ModelsReadinessTest {

    @Autowired
    HealthContributorRegistry contributors;
    @Autowired
    HealthEndpointGroups groups;

    @Test
    void theReadinessGroupIncludesTheModelsIndicator() {
        assertThat(contributors.getContributor("models")).isInstanceOf(ModelsHealthIndicator.class);
        assertThat(groups.get("readiness").isMember("models")).isTrue();
        assertThat(groups.get("liveness").isMember("models")).isFalse();
    }
}
