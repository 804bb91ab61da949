package io.recalign.catalog;

import io.recalign.system.ContextCommand;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a dataset from a folder: apply the data protocol and store it (all or nothing).")
public final class ImportCommand implements ContextCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", required = true, description = "movielens or jsonl")
    String format;

    @Option(names = "--path", required = true, description = "folder with the dataset's files")
    String path;

    @Option(names = "--name", required = true, description = "name of the new dataset")
    String name;

    @Option(names = "--min-count", defaultValue = "5", description = "k of the iterative k-core filter (default ${DEFAULT-VALUE})")
    int minCount;

    @Option(names = "--json", description = "print the counts as one JSON object on the last line")
    boolean json;

    @Override
    public int run(ApplicationContext context) {
        DatasetSummary dataset = context.getBean(CatalogService.class)
                .importDataset(new ImportRequest(name, format, path, minCount));
        CatalogCommands.printStored(spec.commandLine().getOut(), dataset, json);
        return 0;
    }
}
