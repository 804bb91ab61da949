package io.recalign.recommend;

import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.ModelStatus;
import io.recalign.alignment.RegisteredModel;
import io.recalign.catalog.CatalogService;
import jakarta.annotation.PreDestroy;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The language model each dataset serves: its active registry model, loaded on the first request and
 * swapped when another model is activated ({@link #refresh}). A swap never fails a request: the new model
 * is loaded (and its title tree built) before it replaces the old one, and the old one closes only after
 * the batch running on it ends. A model whose files fail to load is not retried until another is activated;
 * meanwhile the dataset has no model (the teacher answers).
 */
@Component
class ServingModels {

    private static final Logger log = LoggerFactory.getLogger(ServingModels.class);

    private final ModelRegistry registry;
    private final CatalogService catalog;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    /** What one dataset serves: a model, or none; and the last model that failed to load. */
    private static final class Slot {
        volatile ServingModel model;
        volatile boolean checked;
        Long failedId;
    }

    ServingModels(ModelRegistry registry, CatalogService catalog) {
        this.registry = registry;
        this.catalog = catalog;
    }

    /**
     * Leases the dataset's model for one batch (release it with {@link ServingModel#release}); empty when
     * the dataset has no ready model.
     */
    Optional<ServingModel> lease(String dataset) {
        Slot slot = slots.computeIfAbsent(dataset, name -> new Slot());
        if (!slot.checked) {
            refresh(dataset);
        }
        while (true) {
            ServingModel model = slot.model;
            if (model == null) {
                return Optional.empty();
            }
            if (model.lease()) {
                return Optional.of(model);
            }
            // swapped and closed between the read and the lease: the slot holds its successor
        }
    }

    /** Whether the dataset has a model to serve (loading the active one if it was never loaded). */
    boolean serves(String dataset) {
        Optional<ServingModel> model = lease(dataset);
        model.ifPresent(ServingModel::release);
        return model.isPresent();
    }

    /** Checks the active model of every dataset served so far, swapping where it changed. */
    void refreshServed() {
        for (String dataset : slots.keySet()) {
            refresh(dataset);
        }
    }

    /** {@link #refresh} for a dataset this process has served; others load their model on first use. */
    void refreshIfServed(String dataset) {
        if (slots.containsKey(dataset)) {
            refresh(dataset);
        }
    }

    /** Serves the dataset's active model if it is not the one served now. */
    void refresh(String dataset) {
        Slot slot = slots.computeIfAbsent(dataset, name -> new Slot());
        synchronized (slot) {
            slot.checked = true;
            Optional<RegisteredModel> active = registry.active(dataset).filter(model -> model.status() == ModelStatus.READY);
            ServingModel current = slot.model;
            Long activeId = active.map(RegisteredModel::id).orElse(null);
            if (current != null && activeId != null && current.id() == activeId) {
                return;
            }
            if (activeId == null) {
                swap(slot, null, dataset);
                return;
            }
            if (activeId.equals(slot.failedId)) {
                return;
            }
            try {
                ServingModel next = new ServingModel(registry.load(activeId));
                next.trie(catalog.snapshot(dataset));
                swap(slot, next, dataset);
                slot.failedId = null;
            } catch (RuntimeException e) {
                slot.failedId = activeId;
                log.error("Model {} of dataset {} cannot be served: {}", activeId, dataset, e.getMessage());
                swap(slot, null, dataset);
            }
        }
    }

    private static void swap(Slot slot, ServingModel next, String dataset) {
        ServingModel previous = slot.model;
        if (previous == next) {
            return;
        }
        slot.model = next;
        if (next != null) {
            log.info("Dataset {} now serves model {}", dataset, next.id());
        }
        if (previous != null) {
            previous.retire();
        }
    }

    @PreDestroy
    void close() {
        slots.values().forEach(slot -> {
            synchronized (slot) {
                swap(slot, null, "(closing)");
            }
        });
    }
}
