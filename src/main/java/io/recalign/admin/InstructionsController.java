package io.recalign.admin;

import io.recalign.alignment.InstructionSet;
import io.recalign.alignment.InstructionSets;
import io.recalign.tasks.ExampleParameters;
import io.recalign.tasks.LabelledExample;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** A dataset's teacher-labelled instruction sets: build one, inspect the latest. */
@RestController
@RequestMapping("/admin/datasets/{name}/instructions")
class InstructionsController {

    private final InstructionSets sets;

    InstructionsController(InstructionSets sets) {
        this.sets = sets;
    }

    /** The latest set and up to {@code limit} of its examples, optionally of one task and split. */
    @GetMapping
    InstructionsView latest(@PathVariable String name, @RequestParam(required = false) String task,
            @RequestParam(required = false) String split, @RequestParam(defaultValue = "20") @Min(1) @Max(1000) int limit) {
        InstructionSet set = sets.requireLatest(name);
        List<ExampleView> examples = sets.examples(set.id(),
                        split == null || split.isBlank() ? null : InstructionSets.split(split),
                        task == null || task.isBlank() ? null : InstructionSets.task(task), limit)
                .stream().map(ExampleView::of).toList();
        return new InstructionsView(set, examples);
    }

    /**
     * Builds a new set from the dataset's active teacher: {@code {"seed"?, "counts"?: {"train": {"seqrec": 500}}}};
     * 201 with the set and its counts.
     */
    @PostMapping
    ResponseEntity<InstructionSet> build(@PathVariable String name, @RequestBody(required = false) BuildRequest request) {
        BuildRequest body = request == null ? new BuildRequest(null, null) : request;
        InstructionSet set = sets.build(name, body.seed() == null ? InstructionSets.DEFAULT_SEED : body.seed(),
                InstructionSets.plan(body.counts()));
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().build().toUri();
        return ResponseEntity.created(location).body(set);
    }

    record BuildRequest(Long seed, Map<String, Map<String, Integer>> counts) {
    }

    record InstructionsView(InstructionSet set, List<ExampleView> examples) {
    }

    record ExampleView(String task, String split, String prompt, String answer, ExampleParameters parameters) {
        static ExampleView of(LabelledExample example) {
            return new ExampleView(example.task().code(), example.split().code(), example.prompt(), example.answer(),
                    example.parameters());
        }
    }
}
