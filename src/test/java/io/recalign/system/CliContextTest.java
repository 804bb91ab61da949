package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** The command line's Spring context works on the database of a service already running on the same home. */
class CliContextTest {

    @TempDir
    Path home;

    @AfterEach
    void clearHome() {
        System.clearProperty("recalign.home");
    }

    @Test
    void joinsTheEmbeddedDatabaseOfARunningService() {
        try (LocalPostgres service = LocalPostgres.open(home.resolve("postgres"))) {
            System.setProperty("recalign.home", home.toString());
            try (ConfigurableApplicationContext cli = Cli.startContext()) {
                LocalPostgres joined = cli.getBean(LocalPostgres.class);
                assertThat(joined.ownsServer()).isFalse();
                assertThat(joined.port()).isEqualTo(service.port());
                assertThat(cli.getBean(Flyway.class).info().pending()).isEmpty();

                Job saved = cli.getBean(JobRepository.class).save(new Job("evaluation", null, "{}"));
                assertThat(cli.getBean(JobRepository.class).findById(saved.getId())).isPresent();
            }
            assertThat(LocalPostgres.runningServerPort(service.dataDirectory()))
                    .as("closing the command line leaves the service's database running")
                    .hasValue(service.port());
        }
    }
}
