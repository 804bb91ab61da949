package io.recalign.alignment;

import io.recalign.system.ContextCommand;
import io.recalign.tasks.TaskFamily;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasks}: teacher-labelled instruction sets. */
@Command(name = "tasks", mixinStandardHelpOptions = true, description = "Instruction sets labelled by the teacher.",
        subcommands = TasksCommand.Build.class)
public final class TasksCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code tasks build}: builds and stores a new instruction set and prints its counts. */
    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Build a dataset's instruction set from its snapshot and active teacher, and store it.")
    static final class Build implements ContextCommand {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--dataset", required = true, description = "the dataset")
        String dataset;

        @Option(names = "--seed", description = "the build's seed; the same seed and teacher give the same set (default 42)")
        long seed = InstructionSets.DEFAULT_SEED;

        @Option(names = "--count", paramLabel = "SPLIT.TASK=N",
                description = "examples of one task in one split instead of the default, e.g. train.seqrec=500 (repeatable)")
        Map<String, Integer> counts = new LinkedHashMap<>();

        @Option(names = "--json", description = "print {\"instruction_set_id\", \"dataset\", \"seed\", \"counts\"} last")
        boolean json;

        @Override
        public int run(ApplicationContext context) {
            Map<String, Map<String, Integer>> overrides = new LinkedHashMap<>();
            counts.forEach((key, count) -> {
                int dot = key.indexOf('.');
                if (dot < 1) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--count takes SPLIT.TASK=N, e.g. train.seqrec=500, not " + key + "=" + count);
                }
                overrides.computeIfAbsent(key.substring(0, dot), split -> new LinkedHashMap<>())
                        .put(key.substring(dot + 1), count);
            });
            InstructionSet set = context.getBean(InstructionSets.class)
                    .build(dataset, seed, InstructionSets.plan(overrides));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("instruction set %d of dataset %s (seed %d, teacher %s)%n", set.id(), dataset, seed, set.teacherId());
            String row = "%-20s %7s %7s %7s%n";
            out.printf(row, "TASK", "TRAIN", "VALID", "TEST");
            for (TaskFamily family : TaskFamily.values()) {
                out.printf(row, family.code(), count(set, "train", family), count(set, "valid", family), count(set, "test", family));
            }
            out.printf(row, "total", set.total("train"), set.total("valid"), set.total("test"));
            if (json) {
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("instruction_set_id", set.id());
                summary.put("dataset", dataset);
                summary.put("seed", seed);
                summary.put("counts", set.counts());
                CommandOutput.printJson(out, summary);
            }
            out.flush();
            return 0;
        }

        private static int count(InstructionSet set, String split, TaskFamily family) {
            return set.counts().getOrDefault(split, Map.of()).getOrDefault(family.code(), 0);
        }
    }
}
