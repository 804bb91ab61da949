package io.recalign.catalog;

import io.recalign.system.ContextCommand;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "synthetic", mixinStandardHelpOptions = true,
        description = "Generate a catalog with learnable sequences (deterministic by seed) and store it.")
public final class SyntheticCommand implements ContextCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", required = true, description = "name of the new dataset")
    String name;

    @Option(names = "--users", defaultValue = "" + SyntheticSpec.DEFAULT_USERS, description = "default ${DEFAULT-VALUE}")
    int users;

    @Option(names = "--items", defaultValue = "" + SyntheticSpec.DEFAULT_ITEMS, description = "default ${DEFAULT-VALUE}")
    int items;

    @Option(names = "--interactions-per-user", defaultValue = "" + SyntheticSpec.DEFAULT_INTERACTIONS_PER_USER,
            description = "average sequence length (default ${DEFAULT-VALUE})")
    int interactionsPerUser;

    @Option(names = "--seed", defaultValue = "" + SyntheticSpec.DEFAULT_SEED, description = "default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--json", description = "print the counts as one JSON object on the last line")
    boolean json;

    @Override
    public int run(ApplicationContext context) {
        DatasetSummary dataset = context.getBean(CatalogService.class)
                .generateSynthetic(name, new SyntheticSpec(users, items, interactionsPerUser, seed));
        CatalogCommands.printStored(spec.commandLine().getOut(), dataset, json);
        return 0;
    }
}
