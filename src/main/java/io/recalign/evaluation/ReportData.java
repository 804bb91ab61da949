package io.recalign.evaluation;

import java.time.Instant;
import java.util.List;

/**
 * Everything the report page shows, already gathered: the newest evaluation of each (model, decoding)
 * in row order, and the logged training curves of the jobs that produced the evaluated models.
 */
record ReportData(String dataset, Instant generatedAt, List<StoredEvaluation> rows, List<Training> trainings) {

    ReportData {
        rows = List.copyOf(rows);
        trainings = List.copyOf(trainings);
    }

    /**
     * The logged history of one training job, split into panels (loss, reward, KL) of named series.
     *
     * @param title  e.g. "SFT #12: job 34 (sft)"
     * @param unit   what the x axis counts (step, epoch)
     * @param panels one per quantity that the job logged, in the order loss, reward, KL
     */
    record Training(String title, String unit, List<Panel> panels) {
        Training {
            panels = List.copyOf(panels);
        }
    }

    /** One chart of a training: its name and its series. */
    record Panel(String name, List<Svg.Line> lines) {
        Panel {
            lines = List.copyOf(lines);
        }
    }
}
