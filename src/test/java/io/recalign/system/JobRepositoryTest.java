package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.IntegrationTest;
import io.recalign.TestHome;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class JobRepositoryTest {

    @Autowired
    LocalPostgres postgres;

    @Autowired
    Flyway flyway;

    @Autowired
    JobRepository jobs;

    @Autowired
    JdbcClient jdbc;

    @Test
    void serviceRunsOnTheEmbeddedServerUnderTheDataDirectory() {
        assertThat(postgres.dataDirectory()).isEqualTo(TestHome.path().resolve("postgres"));
        assertThat(postgres.dataDirectory().resolve("PG_VERSION")).exists();
        assertThat(jdbc.sql("select current_database()").query(String.class).single()).isEqualTo("recalign");
    }

    @Test
    void migrationsAreApplied() {
        assertThat(flyway.info().pending()).isEmpty();
        assertThat(flyway.info().applied()).extracting(MigrationInfo::getScript).contains("V1__jobs.sql");
    }

    @Test
    void jobRoundTripKeepsJsonAndLifeCycle() {
        Job saved = jobs.save(new Job("teacher", "round-trip", "{\"epochs\": 3, \"model\": \"sasrec\"}"));
        saved.start();
        saved.reportProgress("{\"epoch\": 1, \"loss\": 0.5}");
        jobs.save(saved);

        Job loaded = jobs.findById(saved.getId()).orElseThrow();
        assertThat(loaded.getType()).isEqualTo("teacher");
        assertThat(loaded.getDataset()).isEqualTo("round-trip");
        assertThat(loaded.getStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(loaded.getStartedAt()).isNotNull();
        assertThat(loaded.getFinishedAt()).isNull();
        // stored as jsonb, not as a string: the database can look inside
        assertThat(jdbc.sql("select params ->> 'model' from jobs where id = ?").param(saved.getId())
                .query(String.class).single()).isEqualTo("sasrec");
        assertThat(jdbc.sql("select (progress ->> 'epoch')::int from jobs where id = ?").param(saved.getId())
                .query(Integer.class).single()).isEqualTo(1);

        loaded.fail("out of memory");
        jobs.save(loaded);
        Job failed = jobs.findById(saved.getId()).orElseThrow();
        assertThat(failed.getStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.getError()).isEqualTo("out of memory");
        assertThat(failed.getFinishedAt()).isAfterOrEqualTo(failed.getStartedAt());
    }

    @Test
    void newestJobsComeFirst() {
        Job older = jobs.save(new Job("sft", null, "{}"));
        Job newer = jobs.save(new Job("rl", null, "{}"));

        assertThat(jobs.findRecent(null, null, Limit.of(2))).extracting(Job::getId)
                .containsExactly(newer.getId(), older.getId());
    }
}
