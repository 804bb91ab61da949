package io.recalign.admin;

import io.recalign.evaluation.EvaluationService;
import io.recalign.evaluation.StoredEvaluation;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Stored evaluations (run them with a job of type {@code evaluation}). */
@RestController
@RequestMapping("/admin/evaluations")
class EvaluationsController {

    private final EvaluationService evaluations;

    EvaluationsController(EvaluationService evaluations) {
        this.evaluations = evaluations;
    }

    /** A dataset's evaluations (every dataset's without {@code dataset}), newest first, with their metrics per task. */
    @GetMapping
    List<StoredEvaluation> list(@RequestParam(required = false) String dataset) {
        return evaluations.list(dataset == null || dataset.isBlank() ? null : dataset);
    }

    @GetMapping("/{id}")
    StoredEvaluation one(@PathVariable long id) {
        return evaluations.get(id);
    }
}
