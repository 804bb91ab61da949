package io.recalign.evaluation;

import io.recalign.tasks.TaskFamily;
import java.util.Objects;

/**
 * One test prompt of method.md §6 and what its answer is judged against, in dense catalog indices.
 *
 * @param task     the test task
 * @param user     the user's index in the snapshot
 * @param history  the user's test history, oldest first (the prompt shows its last ten titles)
 * @param target   the held-out test item
 * @param count    N, the number of items asked for
 * @param category C, or -1 for tasks without a category
 * @param rateK    k of a category-share task, -1 otherwise
 * @param prompt   the prompt in the fixed test wording
 */
public record TestCase(TaskFamily task, int user, int[] history, int target, int count, int category, int rateK,
                       String prompt) {

    public TestCase {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(prompt, "prompt");
        history = history.clone();
        if (count < 1) {
            throw new IllegalArgumentException("a test case asks for at least one item, was " + count);
        }
    }

    @Override
    public int[] history() {
        return history.clone();
    }
}
