package io.recalign.evaluation;

import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.RegisteredModel;
import io.recalign.system.Job;
import io.recalign.system.JobRepository;
import io.recalign.system.ProblemException;
import io.recalign.teacher.TeacherService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The evaluation report of a dataset: gathers the newest evaluation of each (model, decoding) and the
 * logged history of the jobs that produced the evaluated models (the registry's job ids along each
 * model's parents, and the teacher's), then renders the page with {@link ReportRenderer}.
 */
@Service
public class ReportService {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> KIND_ORDER = List.of("TEACHER", "BASE", "SFT", "RL");
    private static final List<String> DECODING_ORDER = List.of("top-k", "free", "guided");
    private static final Pattern KL = Pattern.compile("(^|[^a-z])kl([^a-z]|$)");

    private final EvaluationService evaluations;
    private final ModelRegistry models;
    private final TeacherService teachers;
    private final JobRepository jobs;

    ReportService(EvaluationService evaluations, ModelRegistry models, TeacherService teachers, JobRepository jobs) {
        this.evaluations = evaluations;
        this.models = models;
        this.teachers = teachers;
        this.jobs = jobs;
    }

    /** The report page of a dataset (HTML); a 404 problem when there is no such dataset. */
    public String render(String dataset) {
        return ReportRenderer.render(gather(dataset));
    }

    ReportData gather(String dataset) {
        Map<String, StoredEvaluation> newest = new LinkedHashMap<>();
        for (StoredEvaluation run : evaluations.list(dataset)) { // newest first
            newest.putIfAbsent(run.model() + "/" + run.decoding(), run);
        }
        List<StoredEvaluation> rows = newest.values().stream()
                .sorted(Comparator.comparingInt((StoredEvaluation run) -> KIND_ORDER.indexOf(run.modelKind()))
                        .thenComparingLong(run -> run.modelId() == null ? 0 : run.modelId())
                        .thenComparingInt(run -> DECODING_ORDER.indexOf(run.decoding())))
                .toList();
        Set<Long> seenJobs = new LinkedHashSet<>();
        List<ReportData.Training> trainings = new ArrayList<>();
        for (StoredEvaluation row : rows) {
            for (Map.Entry<String, Long> produced : trainingJobs(row).entrySet()) {
                if (seenJobs.add(produced.getValue())) {
                    jobs.findById(produced.getValue()).ifPresent(job -> trainings.add(training(produced.getKey(), job)));
                }
            }
        }
        return new ReportData(dataset, Instant.now(), rows, trainings);
    }

    /**
     * The jobs that produced an evaluated model, by model name: its own training job, then those of the
     * models it was trained from (an RL model's SFT parent); the teacher's training job for the teacher.
     * Models or teachers that are gone, or were not trained by a job, add nothing.
     */
    private Map<String, Long> trainingJobs(StoredEvaluation row) {
        Map<String, Long> produced = new LinkedHashMap<>();
        try {
            if (row.modelId() == null) {
                Long jobId = row.teacherId() == null ? null : teachers.get(row.teacherId()).jobId();
                if (jobId != null) {
                    produced.put("teacher #" + row.teacherId(), jobId);
                }
                return produced;
            }
            Set<Long> visited = new LinkedHashSet<>();
            for (Long id = row.modelId(); id != null && visited.add(id); ) {
                RegisteredModel model = models.get(id);
                if (model.jobId() != null) {
                    produced.put(model.kind() + " #" + model.id(), model.jobId());
                }
                id = model.parentId();
            }
        } catch (ProblemException gone) {
            // a model or teacher deleted since it was evaluated: show what was found
        }
        return produced;
    }

    /** A job's logged history as panels: loss, the reward figures, the KL figures (those it logged). */
    static ReportData.Training training(String modelName, Job job) {
        JsonNode history = JSON.readTree(job.getProgress()).path("history");
        Map<String, List<double[]>> loss = new LinkedHashMap<>();
        Map<String, List<double[]>> reward = new LinkedHashMap<>();
        Map<String, List<double[]>> kl = new LinkedHashMap<>();
        String unit = null;
        for (JsonNode point : history) {
            double x = point.path("step").asDouble();
            unit = unit == null ? point.path("unit").asString("step") : unit;
            JsonNode lossValue = point.get("loss");
            if (lossValue != null && lossValue.isNumber()) {
                loss.computeIfAbsent("loss", k -> new ArrayList<>()).add(new double[] {x, lossValue.asDouble()});
            }
            for (Map.Entry<String, JsonNode> metric : point.path("metrics").properties()) {
                if (!metric.getValue().isNumber()) {
                    continue;
                }
                String lower = metric.getKey().toLowerCase(Locale.ROOT);
                Map<String, List<double[]>> panel = lower.contains("reward") ? reward
                        : KL.matcher(lower).find() ? kl : null;
                if (panel != null) {
                    panel.computeIfAbsent(metric.getKey(), k -> new ArrayList<>())
                            .add(new double[] {x, metric.getValue().asDouble()});
                }
            }
        }
        List<ReportData.Panel> panels = new ArrayList<>();
        addPanel(panels, "Loss", loss);
        addPanel(panels, "Reward", reward);
        addPanel(panels, "KL", kl);
        return new ReportData.Training(modelName + ": job " + job.getId() + " (" + job.getType() + ")",
                unit == null ? "step" : unit, panels);
    }

    private static void addPanel(List<ReportData.Panel> panels, String name, Map<String, List<double[]>> series) {
        if (!series.isEmpty()) {
            panels.add(new ReportData.Panel(name, series.entrySet().stream()
                    .map(entry -> new Svg.Line(entry.getKey(), entry.getValue())).toList()));
        }
    }
}
