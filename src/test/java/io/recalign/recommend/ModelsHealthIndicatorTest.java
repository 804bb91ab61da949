package io.recalign.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.recalign.alignment.ModelKind;
import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.ModelStatus;
import io.recalign.alignment.RegisteredModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class ModelsHealthIndicatorTest {

    private final ModelRegistry registry = mock(ModelRegistry.class);
    private final ServingModels models = mock(ServingModels.class);
    private final ModelsHealthIndicator indicator = new ModelsHealthIndicator(registry, models);

    @Test
    void upWhenEveryActiveModelIsLoaded() {
        when(registry.list(Optional.empty())).thenReturn(List.of(model(3, "books", true), model(2, "books", false),
                model(1, "films", true)));
        when(models.serves("books")).thenReturn(true);
        when(models.serves("films")).thenReturn(true);

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsExactly(
                Map.entry("books", Map.of("model", 3L, "loaded", true)),
                Map.entry("films", Map.of("model", 1L, "loaded", true)));
    }

    @Test
    void downWhileAnActiveModelIsNotLoaded() {
        when(registry.list(Optional.empty())).thenReturn(List.of(model(3, "books", true), model(1, "films", true)));
        when(models.serves("books")).thenReturn(true);
        when(models.serves("films")).thenReturn(false);

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("films", Map.of("model", 1L, "loaded", false));
    }

    @Test
    void datasetsWithoutAnActiveModelNeedNothingLoaded() {
        when(registry.list(Optional.empty())).thenReturn(List.of(model(2, "books", false)));

        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        verify(models, never()).serves(anyString());
    }

    private static RegisteredModel model(long id, String dataset, boolean active) {
        return new RegisteredModel(id, ModelKind.SFT, null, dataset, null, "models/" + id, "digest", ModelStatus.READY,
                active, Map.of(), Map.of(), null, Instant.EPOCH);
    }
}
