package io.recalign.evaluation;

import static io.recalign.evaluation.Svg.escape;

import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the evaluation report of one dataset as one self-contained page: the comparison table, bar
 * charts of the control metrics and the training curves, all inline (SVG, a style element) with no
 * script, font or other outside resource. The markup is well-formed XML (XHTML-compatible HTML5), and
 * every text from data is escaped.
 */
final class ReportRenderer {

    /** A comparison chart: one metric of one task (the title says which way is better), its axis top or null. */
    record Chart(String task, String metric, String title, Double max) {
    }

    static final List<Chart> CHARTS = List.of(
            new Chart("seqrec", Metrics.RECALL, "SeqRec: Recall@10 (higher is better)", null),
            new Chart("seqrec", Metrics.NON_EXIST_RATE, "SeqRec: titles of no item per list (lower is better)", null),
            new Chart("control-in", Metrics.TARGET_CATEGORY_RATE, "+C: items of C per list (higher is better)", null),
            new Chart("control-out", Metrics.TARGET_CATEGORY_RATE, "\u2212C: items of C per list (lower is better)", null),
            new Chart("rate-lp", Metrics.CATEGORY_RATE_CORRECT, "LP at most 20%: lists meeting the rule", 1.0),
            new Chart("rate-mp", Metrics.CATEGORY_RATE_CORRECT, "MP at least 30%: lists meeting the rule", 1.0),
            new Chart("rate-ep", Metrics.CATEGORY_RATE_CORRECT, "EP about 30%: lists meeting the rule", 1.0),
            new Chart("item-count", Metrics.CORRECT_COUNT, "ItemCount: lists of exactly N items", 1.0));

    private static final Map<String, String> METRIC_HEADINGS = Map.of(
            Metrics.RECALL, "Recall@N", Metrics.NDCG, "NDCG@N", Metrics.NON_EXIST_RATE, "NonExist",
            Metrics.REPEAT_RATE, "Repeat", Metrics.IN_HISTORY_RATE, "InHistory", Metrics.CORRECT_COUNT, "CorrectCount",
            Metrics.TARGET_CATEGORY_RATE, "TargetCategory", Metrics.CATEGORY_RATE_CORRECT, "RateCorrect");

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#222}
            table{border-collapse:collapse;font-size:13px}
            th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}
            th{background:#f3f3f3}
            td.text,th.text{text-align:left}
            tr.first td{border-top:2px solid #888}
            .charts{display:flex;flex-wrap:wrap;gap:12px}
            .note{color:#555;font-size:13px;max-width:60em}
            """;

    private ReportRenderer() {
    }

    static String render(ReportData data) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<title>recalign evaluation report: ").append(escape(data.dataset())).append("</title>")
                .append("<style>").append(STYLE).append("</style></head><body>");
        html.append("<h1>Evaluation report: dataset ").append(escape(data.dataset())).append("</h1>");
        html.append("<p class=\"note\">Generated ")
                .append(escape(DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneOffset.UTC).format(data.generatedAt())))
                .append(" UTC. Test tasks and metrics of method \u00a76 on each user's test history and target; the newest"
                        + " evaluation of each model and decoding. N = 10 (ItemCount 11..15); NonExist, Repeat, InHistory and"
                        + " TargetCategory are items per list, the other metrics shares of lists.</p>");
        comparison(html, data);
        charts(html, data);
        trainings(html, data);
        return html.append("</body></html>\n").toString();
    }

    private static void comparison(StringBuilder html, ReportData data) {
        html.append("<section id=\"comparison\"><h2>Comparison</h2>");
        if (data.rows().isEmpty()) {
            html.append("<p class=\"note\">No evaluation of this dataset yet: run <code>evaluate --dataset ")
                    .append(escape(data.dataset())).append(" --model teacher</code>.</p></section>");
            return;
        }
        html.append("<table id=\"comparison-table\"><thead><tr><th class=\"text\">Task</th><th class=\"text\">Model</th>")
                .append("<th class=\"text\">Decoding</th><th>Lists</th>");
        Metrics.NAMES.forEach(name -> html.append("<th>").append(escape(METRIC_HEADINGS.get(name))).append("</th>"));
        html.append("<th class=\"text\">Evaluated</th></tr></thead><tbody>");
        for (String task : TestTasks.ORDER.stream().map(family -> family.code()).toList()) {
            boolean first = true;
            for (StoredEvaluation row : data.rows()) {
                EvaluationOutcome.TaskMetrics metrics = taskOf(row, task);
                if (metrics == null) {
                    continue;
                }
                html.append(first ? "<tr class=\"first\">" : "<tr>");
                html.append("<td class=\"text\">").append(escape(task)).append("</td>")
                        .append("<td class=\"text\">").append(escape(modelName(row))).append("</td>")
                        .append("<td class=\"text\">").append(escape(row.decoding())).append("</td>")
                        .append("<td>").append(metrics.lists()).append("</td>");
                for (String name : Metrics.NAMES) {
                    Double value = metrics.metrics().get(name);
                    html.append("<td>").append(value == null ? "\u2013" : escape(String.format(Locale.ROOT, "%.4f", value)))
                            .append("</td>");
                }
                html.append("<td class=\"text\">evaluation ").append(row.id()).append(", ").append(row.users())
                        .append(" users</td></tr>");
                first = false;
            }
        }
        html.append("</tbody></table></section>");
    }

    private static void charts(StringBuilder html, ReportData data) {
        html.append("<section id=\"controls\"><h2>Control metrics</h2><div class=\"charts\">");
        for (Chart chart : CHARTS) {
            List<Svg.Bar> bars = new ArrayList<>();
            for (int i = 0; i < data.rows().size(); i++) {
                StoredEvaluation row = data.rows().get(i);
                EvaluationOutcome.TaskMetrics metrics = taskOf(row, chart.task());
                bars.add(new Svg.Bar(row.label(), metrics == null ? null : metrics.metrics().get(chart.metric()), i));
            }
            html.append("<figure class=\"chart\">").append(Svg.bars(chart.title(), bars, chart.max())).append("</figure>");
        }
        html.append("</div>");
        if (!data.rows().isEmpty()) {
            html.append("<p class=\"note\">Bars, left to right: ");
            for (int i = 0; i < data.rows().size(); i++) {
                html.append(i == 0 ? "" : ", ").append("<span style=\"color:").append(Svg.color(i)).append("\">\u25a0</span> ")
                        .append(escape(data.rows().get(i).label()));
            }
            html.append(".</p>");
        }
        html.append("</section>");
    }

    private static void trainings(StringBuilder html, ReportData data) {
        html.append("<section id=\"training\"><h2>Training curves</h2>");
        if (data.trainings().isEmpty()) {
            html.append("<p class=\"note\">No evaluated model has a training job with a logged history.</p>");
        }
        for (ReportData.Training training : data.trainings()) {
            html.append("<h3>").append(escape(training.title())).append("</h3>");
            if (training.panels().isEmpty()) {
                html.append("<p class=\"note\">The job logged no loss, reward or KL.</p>");
                continue;
            }
            html.append("<div class=\"charts\">");
            for (ReportData.Panel panel : training.panels()) {
                html.append("<figure class=\"curve\">").append(Svg.lines(panel.name(), training.unit(), panel.lines()))
                        .append("</figure>");
            }
            html.append("</div>");
        }
        html.append("</section>");
    }

    private static String modelName(StoredEvaluation row) {
        return row.modelId() == null
                ? "teacher" + (row.teacherId() == null ? "" : " #" + row.teacherId())
                : row.modelKind() + " #" + row.modelId();
    }

    private static EvaluationOutcome.TaskMetrics taskOf(StoredEvaluation row, String task) {
        return row.tasks().stream().filter(t -> t.task().equals(task)).findFirst().orElse(null);
    }
}
