package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.TestHome;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ContextConfiguration;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The same schema on a stock PostgreSQL 16, where Docker is available; skipped elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(properties = "recalign.demo.enabled=false")  // a first-run demo would train beside the other test contexts
@ContextConfiguration(initializers = TestHome.class)
class PostgresContainerTest {

    @Container
    @ServiceConnection
    static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16");

    @Autowired
    ApplicationContext context;

    @Autowired
    Flyway flyway;

    @Autowired
    JobRepository jobs;

    @Test
    void migrationsApplyOnPostgres16() {
        assertThat(context.getBeansOfType(LocalPostgres.class)).isEmpty();
        assertThat(flyway.info().pending()).isEmpty();
        assertThat(flyway.info().current()).isNotNull();

        Job saved = jobs.save(new Job("evaluation", null, "{\"k\": 10}"));
        assertThat(jobs.findById(saved.getId())).get().extracting(Job::getParams).asString().contains("10");
    }
}
