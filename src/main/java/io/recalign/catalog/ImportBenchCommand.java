package io.recalign.catalog;

import io.recalign.system.ContextCommand;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Time a full import (read, protocol, store) and a snapshot load; rolled back, nothing is kept.")
public final class ImportBenchCommand implements ContextCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    SourceOptions source;

    @Override
    public int run(ApplicationContext context) {
        ImportTimings timings = context.getBean(CatalogService.class)
                .benchmarkImport(source.format, source.path, source.minCount);
        DatasetSummary dataset = timings.dataset();
        double seconds = Math.max(timings.totalMillis(), 1) / 1000.0;
        PrintWriter out = spec.commandLine().getOut();
        out.printf("import of %s: %d rows read -> %d users, %d items, %d interactions%n", dataset.source(),
                dataset.sourceInteractions(), dataset.users(), dataset.items(), dataset.interactions());
        out.printf("read %d ms, protocol %d ms, store %d ms, total %d ms (%.0f rows/s); snapshot load %d ms%n",
                timings.readMillis(), timings.protocolMillis(), timings.storeMillis(), timings.totalMillis(),
                dataset.sourceInteractions() / seconds, timings.snapshotMillis());
        if (source.json) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("rows", dataset.sourceInteractions());
            figures.put("interactions", dataset.interactions());
            figures.put("readMillis", timings.readMillis());
            figures.put("protocolMillis", timings.protocolMillis());
            figures.put("storeMillis", timings.storeMillis());
            figures.put("totalMillis", timings.totalMillis());
            figures.put("snapshotMillis", timings.snapshotMillis());
            CatalogCommands.printJson(out, figures);
        }
        out.flush();
        return 0;
    }
}
