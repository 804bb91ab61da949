package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The background worker belongs to the service; commands run their jobs in the foreground. */
class JobModeTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withBean(JobRunner.class, () -> mock(JobRunner.class))
            .withBean(JobRecovery.class, () -> mock(JobRecovery.class))
            .withBean(JobHandlers.class, () -> mock(JobHandlers.class))
            .withBean(JobsProperties.class, () -> new JobsProperties(Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(1), 100))
            .withUserConfiguration(JobExecutor.class, ForegroundJobs.class);

    @Test
    void theServiceRunsTheWorker() {
        contexts.run(context -> {
            assertThat(context).hasSingleBean(JobExecutor.class).doesNotHaveBean(ForegroundJobs.class);
            assertThat(context.getBean(JobExecutor.class).isRunning()).isTrue();
        });
        contexts.withPropertyValues("recalign.mode=server")
                .run(context -> assertThat(context).hasSingleBean(JobExecutor.class));
    }

    @Test
    void commandsRunJobsInTheForegroundWithoutAWorker() {
        contexts.withPropertyValues("recalign.mode=cli")
                .run(context -> assertThat(context).hasSingleBean(ForegroundJobs.class).doesNotHaveBean(JobExecutor.class));
    }
}
