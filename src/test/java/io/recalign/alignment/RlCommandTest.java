package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RlCommandTest {

    private static RlParams parse(String... args) {
        RlCommand command = new RlCommand();
        new CommandLine(command).parseArgs(args);
        return command.params().withDefaults();
    }

    @Test
    void optionsReachTheJobParameters() {
        RlParams params = parse("--dataset", "mls", "--from", "8", "--algorithm", "grpo", "--steps", "50", "--lr", "3e-5",
                "--temperature", "0.5", "--penalise-shortfall", "--eval-every", "5", "--valid-prompts", "300", "--seed", "7",
                "--tasks", "control-in,control-out", "--samples", "8", "--prompts", "8", "--decoupled");

        assertThat(params.fromModel()).isEqualTo(8L);
        assertThat(params.algorithm()).isEqualTo(RlParams.GRPO);
        assertThat(params.steps()).isEqualTo(50);
        assertThat(params.lr()).isEqualTo(3e-5);
        assertThat(params.temperature()).isEqualTo(0.5);
        assertThat(params.penaliseShortfall()).isTrue();
        assertThat(params.evalEvery()).isEqualTo(5);
        assertThat(params.validPrompts()).isEqualTo(300);
        assertThat(params.seed()).isEqualTo(7L);
        assertThat(params.tasks()).containsExactly("control-in", "control-out");
        assertThat(params.samples()).isEqualTo(8);
        assertThat(params.prompts()).isEqualTo(8);
        assertThat(params.decoupled()).isTrue();
    }

    @Test
    void withoutOptionsTheMethodsRewardAndDefaultsApply() {
        RlParams params = parse("--dataset", "mls", "--from", "8");

        assertThat(params.algorithm()).isEqualTo(RlParams.PPO);
        assertThat(params.penaliseShortfall()).isFalse();
        assertThat(params.temperature()).isEqualTo(1.0);
        assertThat(params.fineGrained()).isTrue();
        assertThat(params.decoupled()).isFalse();
        assertThat(params.samples()).as("one greedy and one sampled answer a prompt").isEqualTo(1);
        assertThat(params.tasks()).as("every RL task of method section 5").hasSizeGreaterThan(2);
    }
}
