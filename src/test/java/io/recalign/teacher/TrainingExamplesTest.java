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
            int[] targeted = new int[SEQUENCES.get(user).length];
            for (TrainingExamples.Window window : windows) {
                if (window.user() == user) {
                    assertThat(window.targets()).isBetween(1, 10);
                    for (int position = window.from() + 1; position < window.end(); position++) {
                        targeted[position]++;
                    }
                }
            }
            for (int position = 0; position < targeted.length; position++) {
                assertThat(targeted[position]).as("user %d position %d", user, position).isEqualTo(position == 0 ? 0 : 1);
            }
        }
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
}
