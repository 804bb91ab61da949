package io.recalign.recommend;

import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.ModelStatus;
import io.recalign.alignment.RegisteredModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health {@code models}, part of the readiness group: UP when this process has loaded the active model
 * of every dataset that has one, so a replica takes traffic only once it answers from the aligned model.
 * The first check loads the models, as the first request would (that check lasts as long as the load;
 * checks meanwhile see the model not loaded yet). A model that failed to load keeps its dataset DOWN on
 * this replica until another model is activated. Datasets without an active model serve from their
 * teacher and need nothing loaded.
 */
@Component
class ModelsHealthIndicator implements HealthIndicator {

    private final ModelRegistry registry;
    private final ServingModels models;

    ModelsHealthIndicator(ModelRegistry registry, ServingModels models) {
        this.registry = registry;
        this.models = models;
    }

    @Override
    public Health health() {
        Map<String, Object> datasets = new LinkedHashMap<>();
        boolean allLoaded = true;
        for (RegisteredModel model : registry.list(Optional.empty())) {
            if (model.active() && model.status() == ModelStatus.READY) {
                boolean loaded = models.serves(model.dataset());
                allLoaded &= loaded;
                datasets.put(model.dataset(), Map.of("model", model.id(), "loaded", loaded));
            }
        }
        return (allLoaded ? Health.up() : Health.down()).withDetails(datasets).build();
    }
}
