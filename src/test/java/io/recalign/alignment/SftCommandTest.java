package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SftCommandTest {

    private static SftParams parse(String... args) {
        SftCommand command = new SftCommand();
        new CommandLine(command).parseArgs(args);
        return command.params().withDefaults();
    }

    @Test
    void optionsReachTheJobParameters() {
        SftParams params = parse("--dataset", "mls", "--instruction-set", "3", "--epochs", "8", "--lr", "3e-4",
                "--unlikelihood", "1", "--sequence-unlikelihood", "2", "--sequence-every", "1", "--category-init",
                "--control-unlikelihood", "0.5");

        assertThat(params.instructionSet()).isEqualTo(3L);
        assertThat(params.epochs()).isEqualTo(8);
        assertThat(params.lr()).isEqualTo(3e-4);
        assertThat(params.unlikelihood()).isEqualTo(1.0);
        assertThat(params.sequenceUnlikelihood()).isEqualTo(2.0);
        assertThat(params.sequenceEvery()).isEqualTo(1);
        assertThat(params.categoryInit()).isTrue();
        assertThat(params.controlUnlikelihood()).isEqualTo(0.5);
    }

    @Test
    void withoutOptionsTheMethodsLossAndTheLatestSetApply() {
        SftParams params = parse("--dataset", "mls");

        assertThat(params.instructionSet()).isNull();
        assertThat(params.unlikelihood()).isZero();
        assertThat(params.sequenceUnlikelihood()).isZero();
        assertThat(params.categoryInit()).isFalse();
        assertThat(params.controlUnlikelihood()).isZero();
    }
}
