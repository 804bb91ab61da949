package io.recalign.tasks;

import io.recalign.catalog.CatalogSnapshot.UserSequence;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Where tasks are built: training moments cycle through the users in shuffled passes (a fresh random
 * position each time); validation and test moments visit each user once, in shuffled order.
 */
final class MomentSource {

    private final List<UserSequence> users;
    private final Split split;
    private final RandomGenerator rng;
    private final int[] order;
    private int next;

    private MomentSource(List<UserSequence> users, Split split, RandomGenerator rng) {
        this.users = users;
        this.split = split;
        this.rng = rng;
        this.order = split == Split.TRAIN
                ? IntStream.range(0, users.size()).filter(u -> users.get(u).training().length >= 2).toArray()
                : IntStream.range(0, users.size()).toArray();
        shuffle();
    }

    static MomentSource of(List<UserSequence> users, Split split, RandomGenerator rng) {
        return new MomentSource(users, split, rng);
    }

    /** The next moment, or null when none is left (held-out splits) or no user qualifies. */
    Moment next() {
        if (order.length == 0) {
            return null;
        }
        if (next == order.length) {
            if (split != Split.TRAIN) {
                return null;
            }
            shuffle();
            next = 0;
        }
        int user = order[next++];
        return split == Split.TRAIN
                ? Moment.training(user, users.get(user), rng)
                : Moment.heldOut(user, users.get(user), split);
    }

    private void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }
}
