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

    @CommandLine.Mixin
    SourceOptions source;

    @Option(names = "--name", required = true, description = "name of the new dataset")
    String name;

    @Override
    public int run(ApplicationContext context) {
        DatasetSummary dataset = context.getBean(CatalogService.class)
                .importDataset(new ImportRequest(name, source.format, source.path, source.minCount));
        CatalogCommands.printStored(spec.commandLine().getOut(), dataset, source.json);
        return 0;
    }
}
