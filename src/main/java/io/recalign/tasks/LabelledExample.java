package io.recalign.tasks;

import java.util.Objects;

/** One instruction example: the prompt the model reads and the teacher-labelled answer it should write. */
public record LabelledExample(TaskFamily task, Split split, String prompt, String answer,
                              ExampleParameters parameters) {

    public LabelledExample {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(parameters, "parameters");
    }
}
