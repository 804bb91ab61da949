package io.recalign.alignment;

import io.recalign.system.ContextCommand;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code models}: the model registry. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the registered language models.")
public final class ModelsCommand implements ContextCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", description = "only this dataset's models")
    String dataset;

    @Option(names = "--json", description = "print {\"models\": [...]} as one JSON object on the last line")
    boolean json;

    @Override
    public int run(ApplicationContext context) {
        List<RegisteredModel> models = context.getBean(ModelRegistry.class).list(Optional.ofNullable(dataset));
        PrintWriter out = spec.commandLine().getOut();
        String row = "%-6s %-5s %-9s %-6s %-16s %-6s %-5s %-14s %s%n";
        out.printf(row, "ID", "KIND", "STATUS", "ACTIVE", "DATASET", "PARENT", "SET", "VALID R@10", "PATH");
        for (RegisteredModel model : models) {
            Object recall = model.metrics().get("valid_recall@10");
            out.printf(row, model.id(), model.kind(), model.status(), model.active() ? "yes" : "", text(model.dataset()),
                    text(model.parentId()), text(model.instructionSetId()),
                    recall instanceof Number number ? String.format(java.util.Locale.ROOT, "%.4f", number.doubleValue()) : "",
                    text(model.path()));
        }
        if (json) {
            CommandOutput.printJson(out, Map.of("models", models));
        }
        out.flush();
        return 0;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
