package io.recalign.recommend;

import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.RegisteredModel;
import org.springframework.stereotype.Service;

/**
 * Activates a registry model for serving: the registry switches the dataset's active model and notifies
 * every replica; this process swaps at once if it serves the dataset, the others within seconds
 * ({@link ModelWatcher}).
 */
@Service
public class ModelActivation {

    private final ModelRegistry registry;
    private final ServingModels models;

    ModelActivation(ModelRegistry registry, ServingModels models) {
        this.registry = registry;
        this.models = models;
    }

    public RegisteredModel activate(long id) {
        RegisteredModel model = registry.activate(id);
        models.refreshIfServed(model.dataset());
        return model;
    }
}
