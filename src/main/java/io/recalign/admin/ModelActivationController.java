package io.recalign.admin;

import io.recalign.alignment.RegisteredModel;
import io.recalign.recommend.ModelActivation;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Makes a READY model the one its dataset serves; every replica swaps to it without failing requests. */
@RestController
class ModelActivationController {

    private final ModelActivation activation;

    ModelActivationController(ModelActivation activation) {
        this.activation = activation;
    }

    @PostMapping("/admin/models/{id}/activate")
    RegisteredModel activate(@PathVariable long id) {
        return activation.activate(id);
    }
}
