package io.recalign.evaluation;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The plain-text results table the commands print: one row per task, one column per metric. */
public final class EvaluationTable {

    /** Column headings, in {@link Metrics#NAMES} order. */
    static final List<String> HEADINGS = List.of("RECALL", "NDCG", "NONEXIST", "REPEAT", "INHIST", "COUNT", "TCR",
            "RATE");

    private EvaluationTable() {
    }

    public static void print(PrintWriter out, StoredEvaluation run) {
        out.printf(Locale.ROOT, "evaluation %d: %s (%s) on %s, %d users%s%n", run.id(), run.label(), run.decoding(),
                run.dataset(), run.users(), run.settings().get("seconds") == null ? ""
                        : ", " + run.settings().get("seconds") + " s");
        StringBuilder heading = new StringBuilder(String.format(Locale.ROOT, "%-12s %6s", "TASK", "LISTS"));
        HEADINGS.forEach(name -> heading.append(String.format(Locale.ROOT, " %9s", name)));
        out.println(heading);
        for (EvaluationOutcome.TaskMetrics task : run.tasks()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-12s %6d", task.task(), task.lists()));
            Map<String, Double> metrics = task.metrics();
            for (String name : Metrics.NAMES) {
                Double value = metrics.get(name);
                row.append(value == null ? String.format(Locale.ROOT, " %9s", "-")
                        : String.format(Locale.ROOT, " %9.4f", value));
            }
            out.println(row);
        }
        out.println("RECALL/NDCG at N; NONEXIST, REPEAT, INHIST, TCR (items in C): per list; COUNT: lists of exactly N;"
                + " RATE: lists meeting the share rule");
    }
}
