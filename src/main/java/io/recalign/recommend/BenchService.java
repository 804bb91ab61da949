package io.recalign.recommend;

import io.recalign.RecalignApplication;
import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.ModelStatus;
import io.recalign.alignment.RegisteredModel;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.DatasetSummary;
import io.recalign.catalog.SyntheticSpec;
import io.recalign.system.ForegroundJobs;
import io.recalign.system.JobRequest;
import io.recalign.system.ProgressBar;
import io.recalign.teacher.TeacherService;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** What the serving benchmarks share: a model to serve (trained on the spot when there is none) and the service. */
final class BenchService {

    static final String SYNTHETIC_DATASET = "bench-serve";

    private BenchService() {
    }

    /**
     * The model to serve: the named dataset's active one; without a name, the newest active model, else one
     * trained now (a synthetic dataset, a small teacher and a small SFT model through the job handlers) and
     * activated.
     */
    static RegisteredModel servedModel(ApplicationContext context, String dataset, int teacherEpochs, int sftSteps,
            PrintWriter out, ProgressBar progress) {
        ModelRegistry registry = context.getBean(ModelRegistry.class);
        if (dataset != null) {
            return registry.active(dataset).filter(model -> model.status() == ModelStatus.READY)
                    .orElseThrow(() -> new IllegalArgumentException("dataset " + dataset
                            + " has no active model; train one with `sft --dataset " + dataset + "` and `activate`"));
        }
        Optional<RegisteredModel> active = registry.list(Optional.empty()).stream()
                .filter(model -> model.active() && model.status() == ModelStatus.READY).findFirst();
        if (active.isPresent()) {
            return active.get();
        }
        out.println("no active model: training a small teacher and SFT model on synthetic dataset " + SYNTHETIC_DATASET);
        out.flush();
        ensureTeacher(context, SYNTHETIC_DATASET, SyntheticSpec.defaults(), teacherEpochs, progress);
        JsonNode sft = context.getBean(ForegroundJobs.class)
                .run(JobRequest.of("sft", SYNTHETIC_DATASET, Map.of("steps", sftSteps)), progress);
        return context.getBean(ModelActivation.class).activate(sft.get("model_id").asLong());
    }

    /** Generates the synthetic dataset and trains its teacher, each unless it exists. */
    static void ensureTeacher(ApplicationContext context, String dataset, SyntheticSpec spec, int teacherEpochs,
            ProgressBar progress) {
        CatalogService catalog = context.getBean(CatalogService.class);
        if (catalog.datasets().stream().map(DatasetSummary::name).noneMatch(dataset::equals)) {
            catalog.generateSynthetic(dataset, spec);
        }
        if (context.getBean(TeacherService.class).active(dataset).isEmpty()) {
            context.getBean(ForegroundJobs.class).run(JobRequest.of("teacher", dataset,
                    Map.of("epochs", teacherEpochs, "patience", 3)), progress);
        }
    }

    /** The service itself, on a free loopback port, beside the command's context, with extra properties. */
    static ConfigurableApplicationContext startServer(Map<String, String> extra) {
        List<String> properties = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
                "recalign.mode=server", "logging.level.root=WARN"));
        extra.forEach((name, value) -> properties.add(name + "=" + value));
        return new SpringApplicationBuilder(RecalignApplication.class)
                .web(WebApplicationType.SERVLET)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties(properties.toArray(String[]::new))
                .run();
    }
}
