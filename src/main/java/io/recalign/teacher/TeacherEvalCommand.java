package io.recalign.teacher;

import io.recalign.system.ContextCommand;
import java.io.PrintWriter;
import java.util.Locale;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a stored teacher (the active one by default) with the method's protocol.")
final class TeacherEvalCommand implements ContextCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "dataset to evaluate on")
    String dataset;

    @Option(names = "--teacher", description = "id of a stored teacher of the dataset (default: the active one)")
    Long teacher;

    @Option(names = "--json", description = "print the metrics as one JSON object on the last line")
    boolean json;

    @Override
    public int run(ApplicationContext context) {
        TeacherEvaluation evaluation = context.getBean(TeacherService.class).evaluate(dataset, teacher);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "teacher %d of %s (%d users, %.1f s):%n", evaluation.teacherId(), dataset,
                evaluation.test().users(), evaluation.seconds());
        printMetrics(out, "valid", evaluation.valid());
        printMetrics(out, "test", evaluation.test());
        if (json) {
            out.println(TeacherJson.write(evaluation));
        }
        out.flush();
        return 0;
    }

    private static void printMetrics(PrintWriter out, String split, RankingMetrics metrics) {
        out.printf(Locale.ROOT, "  %-5s HR@10 %.4f  NDCG@10 %.4f  HR@20 %.4f  NDCG@20 %.4f  sampled HR@10 %.4f"
                        + "  sampled NDCG@10 %.4f%n", split, metrics.hr10(), metrics.ndcg10(), metrics.hr20(),
                metrics.ndcg20(), metrics.sampledHr10(), metrics.sampledNdcg10());
    }
}
