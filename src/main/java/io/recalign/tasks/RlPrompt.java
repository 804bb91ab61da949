package io.recalign.tasks;

import java.util.Objects;

/** A prompt for the RL stage with what its reward needs (history, target, N, C, share k); no label. */
public record RlPrompt(TaskFamily task, String prompt, ExampleParameters parameters) {

    public RlPrompt {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(parameters, "parameters");
    }
}
