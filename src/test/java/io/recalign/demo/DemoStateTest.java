package io.recalign.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which stage the pipeline runs next, from what the demo dataset has. */
class DemoStateTest {

    /** The state after each stage in turn, from an empty database to an active RL model. */
    private static final List<DemoState> PROGRESSION = List.of(
            DemoState.EMPTY,
            new DemoState(true, null, null, null, null, false, false, false, null),
            new DemoState(true, 1L, null, null, null, false, false, false, null),
            new DemoState(true, 1L, 2L, null, null, false, false, false, null),
            new DemoState(true, 1L, 2L, 3L, null, false, false, false, null),
            new DemoState(true, 1L, 2L, 3L, 4L, false, false, false, null),
            new DemoState(true, 1L, 2L, 3L, 4L, true, false, false, null),
            new DemoState(true, 1L, 2L, 3L, 4L, true, true, false, null),
            new DemoState(true, 1L, 2L, 3L, 4L, true, true, true, null),
            new DemoState(true, 1L, 2L, 3L, 4L, true, true, true, 4L));

    @Test
    void eachStageFollowsTheOneBeforeUntilTheRlModelServes() {
        assertThat(PROGRESSION.stream().map(DemoState::next)).containsExactly(DemoStage.values());
    }

    @Test
    void aRestartContinuesWithTheFirstMissingResult() {
        // a teacher and an SFT model exist, but the instruction set was lost: it is built again first
        assertThat(new DemoState(true, 1L, null, 3L, null, false, false, false, null).next())
                .isEqualTo(DemoStage.INSTRUCTIONS);
        // the RL model exists, the evaluations run in order teacher, SFT, RL whatever is missing
        assertThat(new DemoState(true, 1L, 2L, 3L, 4L, false, true, true, null).next())
                .isEqualTo(DemoStage.EVALUATE_TEACHER);
        assertThat(new DemoState(true, 1L, 2L, 3L, 4L, true, false, true, null).next())
                .isEqualTo(DemoStage.EVALUATE_SFT);
    }

    @Test
    void aDatasetThatServesAnyModelIsDone() {
        // an administrator activated the SFT model before the pipeline got there: it is left as chosen
        assertThat(new DemoState(true, 1L, 2L, 3L, null, false, false, false, 3L).next()).isEqualTo(DemoStage.DONE);
    }

    @Test
    void stagesKnowWhetherTheyRunAsJobs() {
        assertThat(List.of(DemoStage.values()).stream().filter(DemoStage::isJob).map(DemoStage::jobType))
                .containsExactly("teacher", "sft", "rl", "evaluation", "evaluation", "evaluation");
        assertThat(DemoStage.count()).isEqualTo(9);
        assertThat(DemoStage.DATASET.number()).isEqualTo(1);
        assertThat(DemoStage.ACTIVATE.number()).isEqualTo(9);
    }
}
