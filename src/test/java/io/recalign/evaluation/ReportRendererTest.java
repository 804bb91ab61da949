package io.recalign.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report page: one well-formed, self-contained document with the table, the charts and the curves. */
class ReportRendererTest {

    private static final String NASTY = "<b>&\"movies'</b>";

    @Test
    void rendersEverySectionFromTheData() throws Exception {
        List<StoredEvaluation> rows = List.of(
                run(1, "teacher", null, "TEACHER", "top-k", allTasks(0.9)),
                run(2, "7", 7L, "SFT", "free", allTasks(0.5)),
                run(3, "9", 9L, "RL", "free", allTasks(0.7)),
                run(4, "9", 9L, "RL", "guided", List.of(task("seqrec", 0.8), task("rate-lp", 1.0))));
        List<ReportData.Training> trainings = List.of(
                new ReportData.Training("SFT #7: job 3 (sft)", "step", List.of(
                        new ReportData.Panel("Loss", List.of(line("loss", 3.0, 2.0, 1.5))))),
                new ReportData.Training("RL #9: job 5 (rl)", "step", List.of(
                        new ReportData.Panel("Loss", List.of(line("loss", 1.0, 0.9))),
                        new ReportData.Panel("Reward", List.of(line("reward", 2.0, 4.0, 5.0), line("reward_std", 1.0, 0.5))),
                        new ReportData.Panel("KL", List.of(line("kl", 0.0, 0.1, 0.2))))));
        String html = ReportRenderer.render(new ReportData(NASTY, Instant.parse("2026-01-02T03:04:05Z"), rows, trainings));

        Document page = parse(html);
        assertThat(text(page, "title")).isEqualTo("recalign evaluation report: " + NASTY);
        assertThat(text(page, "h1")).contains(NASTY);
        assertThat(ids(page, "section")).containsExactly("comparison", "controls", "training");

        Element table = (Element) page.getElementsByTagName("table").item(0);
        NodeList headings = ((Element) table.getElementsByTagName("thead").item(0)).getElementsByTagName("th");
        assertThat(headings.getLength()).isEqualTo(4 + Metrics.NAMES.size() + 1);
        NodeList bodyRows = ((Element) table.getElementsByTagName("tbody").item(0)).getElementsByTagName("tr");
        assertThat(bodyRows.getLength()).as("7 tasks x 3 full rows + 2 tasks of the guided row").isEqualTo(23);
        List<String> firstCells = new ArrayList<>();
        for (int i = 0; i < bodyRows.getLength(); i++) {
            Element row = (Element) bodyRows.item(i);
            firstCells.add(row.getElementsByTagName("td").item(0).getTextContent() + " | "
                    + row.getElementsByTagName("td").item(1).getTextContent());
        }
        assertThat(firstCells).startsWith("seqrec | teacher #11", "seqrec | SFT #7", "seqrec | RL #9", "seqrec | RL #9")
                .contains("rate-lp | RL #9", "item-count | SFT #7");
        assertThat(firstCells.stream().filter(cell -> cell.endsWith("RL #9"))).as("free: 7 tasks, guided: 2").hasSize(9);

        NodeList svgs = page.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
        assertThat(svgs.getLength()).as("control charts plus one per curve panel").isEqualTo(ReportRenderer.CHARTS.size() + 4);
        Element controls = section(page, "controls");
        assertThat(controls.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").getLength())
                .as("a bar per row in each chart").isGreaterThanOrEqualTo(ReportRenderer.CHARTS.size() * rows.size());
        Element training = section(page, "training");
        assertThat(training.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline").getLength()).isEqualTo(5);
        assertThat(text(page, "h3")).isEqualTo("SFT #7: job 3 (sft)");

        assertThat(html).doesNotContain("<script", "href=", "src=", "@import", "url(", "<link");
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http:", "https:");
    }

    @Test
    void anEmptyDatasetStillRendersEverySection() throws Exception {
        Document page = parse(ReportRenderer.render(new ReportData("empty", Instant.now(), List.of(), List.of())));
        assertThat(ids(page, "section")).containsExactly("comparison", "controls", "training");
        assertThat(page.getElementsByTagName("table").getLength()).isZero();
        assertThat(section(page, "comparison").getTextContent()).contains("evaluate --dataset empty --model teacher");
    }

    @Test
    void svgTextIsEscaped() {
        String svg = Svg.bars("a < b & c", List.of(new Svg.Bar("x\"y", 0.5, 0), new Svg.Bar("none", null, 1)), 1.0);
        assertThat(svg).contains("a &lt; b &amp; c", "x&quot;y", "n/a").doesNotContain("a < b");
        assertThat(Svg.escape("bell\u0007")).isEqualTo("bell\uFFFD");
    }

    @Test
    void axesEndOnRoundNumbersAndLabelsStayShort() {
        assertThat(Svg.niceCeiling(0.0361)).isEqualTo(0.05, within(1e-15));
        assertThat(Svg.niceCeiling(7.2)).isEqualTo(10.0);
        assertThat(Svg.niceCeiling(10)).isEqualTo(10.0);
        assertThat(Svg.niceCeiling(0.19)).isEqualTo(0.2, within(1e-15));
        assertThat(Svg.niceCeiling(0)).isEqualTo(1.0);
        assertThat(Svg.number(0.25)).isEqualTo("0.25");
        assertThat(Svg.number(7.98864)).isEqualTo("7.989");
        assertThat(Svg.number(0.036065573)).isEqualTo("0.03607");
        assertThat(Svg.number(3.0)).isEqualTo("3");
    }

    private static StoredEvaluation run(long id, String model, Long modelId, String kind, String decoding,
                                        List<EvaluationOutcome.TaskMetrics> tasks) {
        return new StoredEvaluation(id, NASTY, model, modelId, kind, 11L, decoding, 20, Map.of("seed", 42), null,
                Instant.EPOCH, tasks);
    }

    private static List<EvaluationOutcome.TaskMetrics> allTasks(double value) {
        return TestTasks.ORDER.stream().map(task -> task(task.code(), value)).toList();
    }

    private static EvaluationOutcome.TaskMetrics task(String task, double value) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Metrics.NAMES.forEach(name -> metrics.put(name, value));
        return new EvaluationOutcome.TaskMetrics(task, 20, metrics);
    }

    private static Svg.Line line(String name, double... values) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            points.add(new double[] {10 * i, values[i]});
        }
        return new Svg.Line(name, points);
    }

    static Document parse(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document page, String tag) {
        return page.getElementsByTagName(tag).item(0).getTextContent();
    }

    static List<String> ids(Document page, String tag) {
        List<String> ids = new ArrayList<>();
        NodeList nodes = page.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            ids.add(((Element) nodes.item(i)).getAttribute("id"));
        }
        return ids;
    }

    private static Element section(Document page, String id) {
        NodeList nodes = page.getElementsByTagName("section");
        for (int i = 0; i < nodes.getLength(); i++) {
            if (((Element) nodes.item(i)).getAttribute("id").equals(id)) {
                return (Element) nodes.item(i);
            }
        }
        throw new AssertionError("no section " + id);
    }
}
