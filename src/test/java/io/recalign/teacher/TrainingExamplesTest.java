package io.recalign.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainingExamplesTest {

    private static final List<int[]> SEQUENCES = List.of(new int[23], new int[1], new int[10], new int[11], new int[2]);

    @Test
    void allWindowsMakeEveryPositionATargetOnce() {
        List<TrainingExamples.Window> windows = TrainingExamples.ALL_WINDOWS.epoch(SEQUENCES, 10, new Random(1));
        for (int user = 0; user < SEQUENCES.size(); user++) {
            int[] targeted = targetCounts(windows, user, SEQUENCES.get(user).length);
            for (int position = 0; position < targeted.length; position++) {
                assertThat(targeted[position]).as("user %d position %d", user, position).isEqualTo(position == 0 ? 0 : 1);
            }
        }
    }

    @Test
    void shiftedWindowsTargetEveryPositionOnceOrTwiceAndMoveBetweenEpochs() {
        Random random = new Random(1);
        List<TrainingExamples.Window> first = TrainingExamples.SHIFTED_WINDOWS.epoch(SEQUENCES, 10, random);
        List<TrainingExamples.Window> second = TrainingExamples.SHIFTED_WINDOWS.epoch(SEQUENCES, 10, random);
        for (List<TrainingExamples.Window> windows : List.of(first, second)) {
            for (int user = 0; user < SEQUENCES.size(); user++) {
                int owner = user;
                int length = SEQUENCES.get(user).length;
                int[] targeted = targetCounts(windows, user, length);
                if (length >= 2) {
                    assertThat(windows).as("the latest item is always a target")
                            .anyMatch(window -> window.user() == owner && window.end() == length);
                }
                for (int position = 1; position < length; position++) {
                    assertThat(targeted[position]).as("user %d position %d", user, position).isBetween(1, 2);
                }
            }
        }
        assertThat(first.stream().map(TrainingExamples.Window::end).sorted().toList())
                .as("another epoch, other windows")
                .isNotEqualTo(second.stream().map(TrainingExamples.Window::end).sorted().toList());
    }

    @Test
    void randomWindowTakesOneWindowPerUserWithTwoOrMoreItems() {
        List<TrainingExamples.Window> windows = TrainingExamples.RANDOM_WINDOW.epoch(SEQUENCES, 10, new Random(1));
        assertThat(windows).extracting(TrainingExamples.Window::user).containsExactlyInAnyOrder(0, 2, 3, 4);
        for (TrainingExamples.Window window : windows) {
            assertThat(window.end()).isBetween(2, SEQUENCES.get(window.user()).length);
            assertThat(window.targets()).isEqualTo(Math.min(10, window.end() - 1));
        }
    }

    @Test
    void sameRandomSameEpoch() {
        assertThat(TrainingExamples.RANDOM_WINDOW.epoch(SEQUENCES, 10, new Random(4)))
                .isEqualTo(TrainingExamples.RANDOM_WINDOW.epoch(SEQUENCES, 10, new Random(4)));
    }

    /** How often each position of a user's sequence is a target in these windows; every window has 1 to 10 targets. */
    private static int[] targetCounts(List<TrainingExamples.Window> windows, int user, int length) {
        int[] targeted = new int[length];
        for (TrainingExamples.Window window : windows) {
            if (window.user() == user) {
                assertThat(window.targets()).isBetween(1, 10);
                for (int position = window.from() + 1; position < window.end(); position++) {
                    targeted[position]++;
                }
            }
        }
        return targeted;
    }
}
