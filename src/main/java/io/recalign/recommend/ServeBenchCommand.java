package io.recalign.recommend;

import io.recalign.alignment.RegisteredModel;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.system.ContextCommand;
import io.recalign.system.ProgressBar;
import java.io.PrintWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench serve}: boots the service on the data directory's database with a dataset's active model
 * ({@link BenchService#servedModel}), then measures the recommendation API over loopback HTTP.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Latency percentiles and throughput of POST /api/v1/recommendations per concurrency, guided and free.")
public final class ServeBenchCommand implements ContextCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ServedModelOptions served;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,8,32",
            description = "concurrent clients, comma-separated (default ${DEFAULT-VALUE})")
    List<Integer> concurrencies;

    @Option(names = "--requests", defaultValue = "200", description = "requests per concurrency and decoding mode (default ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--count", defaultValue = "10", description = "items per request (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--json", description = "print the figures as one JSON object on the last line")
    boolean json;

    @Override
    public int run(ApplicationContext context) throws Exception {
        if (requests < 1 || count < 1 || count > RecommendationRequest.MAX_COUNT
                || concurrencies.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("--requests and --concurrency must be positive, --count between 1 and "
                    + RecommendationRequest.MAX_COUNT);
        }
        PrintWriter out = spec.commandLine().getOut();
        RegisteredModel model = served.servedModel(context, out, ProgressBar.on(spec.commandLine().getErr()));
        CatalogSnapshot snapshot = context.getBean(CatalogService.class).snapshot(model.dataset());
        List<String> users = snapshot.users().stream().map(CatalogSnapshot.UserSequence::externalId).toList();
        List<ServeBenchmark.Run> runs;
        try (ConfigurableApplicationContext server = BenchService.startServer(Map.of())) {
            String port = server.getEnvironment().getProperty("local.server.port");
            out.printf(Locale.ROOT, "serving model %d (%s) of dataset %s on port %s%n", model.id(), model.kind(),
                    model.dataset(), port);
            out.flush();
            runs = new ServeBenchmark(URI.create("http://127.0.0.1:" + port + "/"), model.dataset(), users, count)
                    .run(concurrencies, requests);
        }
        out.printf(Locale.ROOT, "%11s %8s %8s %7s %9s %9s %9s %10s%n", "concurrency", "decoding", "requests", "errors",
                "p50 ms", "p95 ms", "p99 ms", "req/s");
        for (ServeBenchmark.Run run : runs) {
            out.printf(Locale.ROOT, "%11d %8s %8d %7d %9.1f %9.1f %9.1f %10.1f%n", run.concurrency(), run.decoding(),
                    run.requests(), run.errors(), run.p50Ms(), run.p95Ms(), run.p99Ms(), run.throughput());
        }
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("dataset", model.dataset());
            summary.put("model", Map.of("id", model.id(), "kind", model.kind().name()));
            summary.put("count", count);
            summary.put("threads", Runtime.getRuntime().availableProcessors());
            summary.put("runs", runs);
            out.println(JsonMapper.builder().build().writeValueAsString(summary));
        }
        out.flush();
        return runs.stream().anyMatch(run -> run.errors() > 0) ? 1 : 0;
    }

}
