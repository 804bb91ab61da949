package io.recalign.tasks;

import io.recalign.teacher.CategoryConstraint;
import java.util.List;
import java.util.Objects;

/**
 * What a task was built from, in dense catalog indices: everything evaluation and the RL reward need to
 * judge an answer (history, target, N, C, polarity, share k), plus the candidates shown and the label.
 *
 * @param user       the user's external id
 * @param history    the items shown as history, oldest first (empty for tasks without history)
 * @param target     the true next item (CategoryQuery: the item asked about)
 * @param count      N, the number of items asked for (1 for CategoryQuery)
 * @param category   C, or -1 when the task names none
 * @param polarity   whether C is wanted or unwanted for intention tasks (+C, -C, ControlRec); null otherwise
 * @param rateK      k of a category-share task, -1 otherwise
 * @param candidates the candidate list shown (SeqRec candidate variant), else empty
 * @param label      the label items in answer order (empty for RL prompts and CategoryQuery)
 */
public record ExampleParameters(String user, List<Integer> history, int target, int count, int category,
                                Polarity polarity, int rateK, List<Integer> candidates, List<Integer> label) {

    public ExampleParameters {
        Objects.requireNonNull(user, "user");
        history = List.copyOf(history);
        candidates = List.copyOf(candidates);
        label = List.copyOf(label);
    }

    /** The intention as a teacher constraint: IN C for a wanted category, NOT IN C for an unwanted one. */
    public CategoryConstraint constraint() {
        if (polarity == null || category < 0) {
            return CategoryConstraint.NONE;
        }
        return polarity == Polarity.POSITIVE ? CategoryConstraint.in(category) : CategoryConstraint.notIn(category);
    }
}
