package io.recalign.demo;

import io.recalign.evaluation.EvaluationTable;
import io.recalign.evaluation.StoredEvaluation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** The evaluation tables of the demo (teacher, SFT, RL), for the log and for {@code demo}. */
final class DemoReport {

    private DemoReport() {
    }

    static void print(PrintWriter out, List<StoredEvaluation> runs) {
        for (StoredEvaluation run : runs) {
            EvaluationTable.print(out, run);
            out.println();
        }
        out.flush();
    }

    static String tables(List<StoredEvaluation> runs) {
        StringWriter text = new StringWriter();
        print(new PrintWriter(text), runs);
        return text.toString();
    }
}
