package io.recalign.recommend;

import io.recalign.alignment.RegisteredModel;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.catalog.SyntheticSpec;
import io.recalign.system.ContextCommand;
import io.recalign.system.ProgressBar;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench soak}: boots the service like {@code bench serve} (a model to serve, trained on the spot if
 * there is none, and a second synthetic dataset with a teacher only), then sends mixed traffic for the given
 * minutes and reports requests, errors, latency percentiles and the process's resident memory at the start
 * and end of the run (the goal: no errors, and memory growing less than 5 % over ten minutes).
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Mixed traffic (guided, free, teacher fallback, admin reads) for a while: errors, latency and"
                + " resident-memory growth.")
public final class SoakBenchCommand implements ContextCommand {

    static final String TEACHER_DATASET = "bench-soak-teacher";
    private static final SyntheticSpec TEACHER_SPEC = new SyntheticSpec(200, 300, 30, 7);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ServedModelOptions served;

    @Option(names = "--minutes", defaultValue = "10", description = "how long to send traffic (default ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--concurrency", defaultValue = "8", description = "concurrent clients (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--warmup-seconds", defaultValue = "60",
            description = "mixed traffic before the measured run, so the model, caches and allocator arenas are"
                    + " settled when the starting memory is sampled (default ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--json", description = "print the figures as one JSON object on the last line")
    boolean json;

    @Override
    public int run(ApplicationContext context) throws Exception {
        if (!(minutes > 0) || concurrency < 1 || warmupSeconds < 0) {
            throw new IllegalArgumentException("--minutes and --concurrency must be positive, --warmup-seconds not negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        ProgressBar progress = ProgressBar.on(spec.commandLine().getErr());
        RegisteredModel model = served.servedModel(context, out, progress);
        BenchService.ensureTeacher(context, TEACHER_DATASET, TEACHER_SPEC, served.teacherEpochs, progress);
        CatalogService catalog = context.getBean(CatalogService.class);
        String token = UUID.randomUUID().toString();
        SoakBenchmark.Figures figures;
        double loadBefore;
        double loadAfter;
        try (ConfigurableApplicationContext server = BenchService.startServer(Map.of("recalign.admin.token", token))) {
            String port = server.getEnvironment().getProperty("local.server.port");
            out.printf(Locale.ROOT, "serving model %d of dataset %s and the teacher of %s on port %s; %d clients for %.1f min%n",
                    model.id(), model.dataset(), TEACHER_DATASET, port, concurrency, minutes);
            out.flush();
            SoakBenchmark soak = new SoakBenchmark(URI.create("http://127.0.0.1:" + port + "/"), token,
                    target(catalog, model.dataset()), target(catalog, TEACHER_DATASET));
            soak.warmUp(concurrency, Duration.ofSeconds(warmupSeconds));
            loadBefore = SoakBenchmark.loadAverage();
            figures = soak.run(concurrency, Duration.ofMillis(Math.round(minutes * 60_000)), Duration.ofSeconds(30));
            loadAfter = SoakBenchmark.loadAverage();
        }
        long rssStart = figures.memory().get(0).rssMb();
        long rssEnd = figures.memory().get(figures.memory().size() - 1).rssMb();
        long rssMax = figures.memory().stream().mapToLong(SoakBenchmark.MemorySample::rssMb).max().orElse(-1);
        double growth = rssStart > 0 ? 100.0 * (rssEnd - rssStart) / rssStart : Double.NaN;

        out.printf(Locale.ROOT, "%8s %9s %7s %9s %9s%n", "kind", "requests", "errors", "p50 ms", "p99 ms");
        for (SoakBenchmark.KindFigures kind : figures.kinds()) {
            out.printf(Locale.ROOT, "%8s %9d %7d %9.1f %9.1f%n", kind.kind(), kind.requests(), kind.errors(), kind.p50Ms(),
                    kind.p99Ms());
        }
        out.printf(Locale.ROOT, "%8s %9d %7d %9.1f %9.1f   %.1f req/s over %.0f s%n", "all", figures.requests(),
                figures.errors(), figures.p50Ms(), figures.p99Ms(), figures.throughput(), figures.seconds());
        out.printf(Locale.ROOT, "resident memory: %d MiB at start, %d MiB at end (%+.1f %%), %d MiB at most;"
                + " load average %.2f before, %.2f after%n", rssStart, rssEnd, growth, rssMax, loadBefore, loadAfter);
        if (figures.firstError() != null) {
            out.println("first error: " + figures.firstError());
        }
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("dataset", model.dataset());
            summary.put("teacher_dataset", TEACHER_DATASET);
            summary.put("model", Map.of("id", model.id(), "kind", model.kind().name()));
            summary.put("concurrency", concurrency);
            summary.put("seconds", figures.seconds());
            summary.put("requests", figures.requests());
            summary.put("errors", figures.errors());
            summary.put("p50_ms", figures.p50Ms());
            summary.put("p99_ms", figures.p99Ms());
            summary.put("throughput", figures.throughput());
            summary.put("kinds", figures.kinds());
            summary.put("rss_start_mb", rssStart);
            summary.put("rss_end_mb", rssEnd);
            summary.put("rss_max_mb", rssMax);
            summary.put("rss_growth_pct", Math.round(growth * 100) / 100.0);
            summary.put("rss_samples", figures.memory());
            summary.put("load_average", Map.of("before", loadBefore, "after", loadAfter));
            summary.put("threads", Runtime.getRuntime().availableProcessors());
            summary.put("first_error", figures.firstError());
            out.println(JsonMapper.builder().build().writeValueAsString(summary));
        }
        out.flush();
        return figures.errors() > 0 ? 1 : 0;
    }

    private static SoakBenchmark.Target target(CatalogService catalog, String dataset) {
        List<String> users = catalog.snapshot(dataset).users().stream().map(CatalogSnapshot.UserSequence::externalId).toList();
        return new SoakBenchmark.Target(dataset, users);
    }
}
