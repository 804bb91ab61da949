package io.recalign.tasks;

import io.recalign.catalog.CatalogSnapshot.UserSequence;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/** One point of a user's sequence that a task is built on: the history window before it and the target. */
record Moment(int user, int[] history, int target) {

    /**
     * A training moment: a random target position inside the training sequence (never the first, so the
     * history is never empty) and a window of one to ten items just before it, its start drawn at random.
     * Null when the training sequence is too short.
     */
    static Moment training(int user, UserSequence sequence, RandomGenerator rng) {
        int[] training = sequence.training();
        if (training.length < 2) {
            return null;
        }
        int target = 1 + rng.nextInt(training.length - 1);
        int earliest = Math.max(0, target - PromptRenderer.HISTORY_WINDOW);
        int start = earliest + rng.nextInt(target - earliest);
        return new Moment(user, Arrays.copyOfRange(training, start, target), training[target]);
    }

    /** The validation or test moment of a user: its held-out target and the last ten items before it. */
    static Moment heldOut(int user, UserSequence sequence, Split split) {
        int[] history = switch (split) {
            case VALID -> sequence.validationHistory();
            case TEST -> sequence.testHistory();
            case TRAIN -> throw new IllegalArgumentException("training moments are drawn, not held out");
        };
        int target = split == Split.VALID ? sequence.validationTarget() : sequence.testTarget();
        int from = Math.max(0, history.length - PromptRenderer.HISTORY_WINDOW);
        return new Moment(user, Arrays.copyOfRange(history, from, history.length), target);
    }

    /** History plus target: the items a label for this moment must not draw at random. */
    int[] historyAndTarget() {
        int[] taken = Arrays.copyOf(history, history.length + 1);
        taken[history.length] = target;
        return taken;
    }

    boolean inHistory(int item) {
        for (int own : history) {
            if (own == item) {
                return true;
            }
        }
        return false;
    }
}
