package io.recalign.teacher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code teacher train|eval|recommend}: the SASRec teacher of a dataset. */
@Command(name = "teacher", mixinStandardHelpOptions = true,
        description = "Train, evaluate and query a dataset's SASRec teacher.",
        subcommands = {
            TeacherTrainCommand.class,
            TeacherEvalCommand.class,
            TeacherRecommendCommand.class,
        })
public final class TeacherCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
