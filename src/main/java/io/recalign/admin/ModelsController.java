package io.recalign.admin;

import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.RegisteredModel;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The model registry: every trained or given language model, its status, files and metrics. */
@RestController
@RequestMapping("/admin/models")
class ModelsController {

    private final ModelRegistry registry;

    ModelsController(ModelRegistry registry) {
        this.registry = registry;
    }

    /** All models, or one dataset's, newest first. */
    @GetMapping
    List<RegisteredModel> list(@RequestParam(required = false) String dataset) {
        return registry.list(Optional.ofNullable(dataset).filter(name -> !name.isBlank()));
    }

    @GetMapping("/{id}")
    RegisteredModel one(@PathVariable long id) {
        return registry.get(id);
    }
}
