package io.recalign.catalog;

import io.recalign.system.ContextCommand;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "datasets", mixinStandardHelpOptions = true, description = "List the stored datasets and their counts.")
public final class DatasetsCommand implements ContextCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "print {\"datasets\": [...]} as one JSON object on the last line")
    boolean json;

    @Override
    public int run(ApplicationContext context) {
        List<DatasetSummary> datasets = context.getBean(CatalogService.class).datasets();
        PrintWriter out = spec.commandLine().getOut();
        String row = "%-24s %-10s %8s %8s %12s %10s  %s%n";
        out.printf(row, "NAME", "FORMAT", "USERS", "ITEMS", "INTERACTIONS", "CATEGORIES", "SOURCE");
        for (DatasetSummary dataset : datasets) {
            out.printf(row, dataset.name(), dataset.format(), dataset.users(), dataset.items(), dataset.interactions(),
                    dataset.categories(), dataset.source());
        }
        if (json) {
            CatalogCommands.printJson(out, Map.of("datasets", datasets));
        }
        out.flush();
        return 0;
    }
}
