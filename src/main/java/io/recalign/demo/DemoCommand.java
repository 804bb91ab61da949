package io.recalign.demo;

import io.recalign.evaluation.StoredEvaluation;
import io.recalign.system.ContextCommand;
import io.recalign.system.ForegroundJobs;
import io.recalign.system.Job;
import io.recalign.system.JobStatus;
import io.recalign.system.ProgressBar;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code demo}: the service's first-run pipeline in the foreground. Each stage the demo dataset lacks runs
 * here (jobs with a progress bar on standard error, like {@code sft} and {@code evaluate}); what exists is
 * reused, so a second run only prints the evaluation tables.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Create the demo dataset, train teacher, SFT and RL models, evaluate them and activate the RL model"
                + " (stages already done are reused); prints the evaluation tables.")
public final class DemoCommand implements ContextCommand {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "print a summary as one JSON object on the last line")
    boolean json;

    @Override
    public int run(ApplicationContext context) {
        DemoPipeline pipeline = context.getBean(DemoPipeline.class);
        ForegroundJobs jobs = context.getBean(ForegroundJobs.class);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Job> running = pipeline.unfinishedJobs().stream()
                .filter(job -> job.getStatus() == JobStatus.RUNNING).findFirst();
        if (running.isPresent()) {
            throw new IllegalStateException("job " + running.get().getId() + " (" + running.get().getType()
                    + ") of dataset " + pipeline.dataset() + " is running: the service is running the demo pipeline"
                    + " (follow it in GET /admin/jobs), or a stopped process left it, which the service settles at its"
                    + " next start");
        }
        long started = System.nanoTime();
        List<String> stagesRun = new ArrayList<>();
        DemoStage previous = null;
        DemoState state = pipeline.state();
        for (DemoStage stage = state.next(); stage != DemoStage.DONE; stage = state.next()) {
            if (stage == previous) {
                throw new IllegalStateException("the stage '" + stage.description() + "' ended without its result");
            }
            err.printf(Locale.ROOT, "stage %d/%d: %s%n", stage.number(), DemoStage.count(), stage.description());
            err.flush();
            if (stage.isJob()) {
                jobs.run(pipeline.request(stage, state), ProgressBar.on(err));
            } else {
                err.println(pipeline.runStep(stage, state));
                err.flush();
            }
            stagesRun.add(stage.name().toLowerCase(Locale.ROOT));
            previous = stage;
            state = pipeline.state();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<StoredEvaluation> evaluations = pipeline.evaluations(state);
        DemoReport.print(out, evaluations);
        out.printf(Locale.ROOT, "demo dataset %s: teacher %s, SFT model %s, RL model %s; model %s serves it (%s)%n",
                pipeline.dataset(), state.teacherId(), state.sftModelId(), state.rlModelId(), state.activeModelId(),
                stagesRun.isEmpty() ? "everything was in place"
                        : String.format(Locale.ROOT, "%d stages in %.0f s", stagesRun.size(), seconds));
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("dataset", pipeline.dataset());
            summary.put("teacherId", state.teacherId());
            summary.put("instructionSetId", state.instructionSetId());
            summary.put("sftModel", state.sftModelId());
            summary.put("rlModel", state.rlModelId());
            summary.put("activeModel", state.activeModelId());
            summary.put("stagesRun", stagesRun);
            summary.put("seconds", Math.round(seconds * 10) / 10.0);
            summary.put("evaluations", evaluations.stream().map(run -> Map.of("id", run.id(), "model", run.label(),
                    "tasks", run.tasks())).toList());
            out.println(JSON.writeValueAsString(summary));
        }
        out.flush();
        return 0;
    }
}
