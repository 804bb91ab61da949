package io.recalign.system;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Parent of the benchmark commands; each feature adds its own {@code bench <what>}. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print measured figures.",
        subcommands = {
            io.recalign.catalog.ImportBenchCommand.class,
            io.recalign.llm.LmBenchCommand.class,
            io.recalign.teacher.TeacherBenchCommand.class,
            io.recalign.recommend.ServeBenchCommand.class,
            io.recalign.recommend.SoakBenchCommand.class,
        })
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
