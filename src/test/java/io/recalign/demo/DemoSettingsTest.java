package io.recalign.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recalign.alignment.RlParams;
import io.recalign.alignment.SftParams;
import io.recalign.tasks.InstructionPlan;
import io.recalign.tasks.Split;
import io.recalign.tasks.TaskFamily;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The demo's sizes: checked when the service starts, and turned into the stages' job parameters. */
class DemoSettingsTest {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private static DemoSettings settings(String datasetDir, int items, int sftHidden, int rlSteps) {
        return new DemoSettings(true, "demo", datasetDir, 200, items, 30, 42, 12, 4, 64, 150, 10, 300, 16, sftHidden, 2,
                rlSteps, 8, 16, 50);
    }

    @Test
    void badSizesAreRefusedByTheirPropertyNames() {
        assertThatThrownBy(() -> settings(null, 200, 100, 20)).hasMessageContaining("recalign.demo.sft-hidden");
        assertThatThrownBy(() -> settings(null, 200, 128, 0)).hasMessageContaining("recalign.demo.rl-steps");
        assertThatThrownBy(() -> settings(null, 10, 128, 20)).hasMessageContaining("items must be between 20");
        // an imported dataset has its own size: the synthetic one is not checked
        assertThat(settings("/data/ml", 10, 128, 20).importFolder()).contains(Path.of("/data/ml"));
        assertThat(settings(" ", 200, 128, 20).importFolder()).isEmpty();
    }

    @Test
    void theInstructionPlanWeighsSeqRecThreeTimesAndHasNoTestSplit() {
        InstructionPlan plan = settings(null, 200, 128, 20).instructionPlan();
        assertThat(plan.count(Split.TRAIN, TaskFamily.SEQ_REC)).isEqualTo(450);
        assertThat(plan.count(Split.TRAIN, TaskFamily.CONTROL_IN)).isEqualTo(150);
        assertThat(plan.count(Split.VALID, TaskFamily.SEQ_REC)).isEqualTo(30);
        assertThat(plan.count(Split.VALID, TaskFamily.ITEM_COUNT)).isEqualTo(10);
        assertThat(plan.count(Split.TEST, TaskFamily.SEQ_REC)).isZero();
    }

    @Test
    void sftAndRlParametersAreThoseTheJobsAccept() {
        DemoSettings demo = settings(null, 200, 128, 20);
        SftParams sft = STRICT.convertValue(demo.sftParams(7), SftParams.class).withDefaults();
        assertThat(sft.instructionSet()).isEqualTo(7);
        assertThat(sft.steps()).isEqualTo(300);
        assertThat(sft.model().hiddenSize()).isEqualTo(128);
        assertThat(sft.model().heads()).isEqualTo(2);
        assertThat(sft.model().layers()).isEqualTo(2);
        RlParams rl = STRICT.convertValue(demo.rlParams(9), RlParams.class).withDefaults();
        assertThat(rl.fromModel()).isEqualTo(9);
        assertThat(rl.steps()).isEqualTo(20);
        assertThat(rl.algorithm()).isEqualTo(RlParams.PPO);
    }
}
