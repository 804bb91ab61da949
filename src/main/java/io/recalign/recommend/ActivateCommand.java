package io.recalign.recommend;

import io.recalign.alignment.RegisteredModel;
import io.recalign.system.ContextCommand;
import org.springframework.context.ApplicationContext;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code recalign activate MODEL_ID}: the running service swaps to the model within seconds. */
@Command(name = "activate", mixinStandardHelpOptions = true,
        description = "Make a READY model the one its dataset serves (running replicas swap to it within seconds).")
public final class ActivateCommand implements ContextCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_ID", description = "Id of the model (see `recalign models`).")
    long modelId;

    @Override
    public int run(ApplicationContext context) {
        RegisteredModel model = context.getBean(ModelActivation.class).activate(modelId);
        PrintWriter out = spec.commandLine().getOut();
        out.println("model " + model.id() + " (" + model.kind() + ") is now the active model of dataset " + model.dataset());
        out.flush();
        return 0;
    }
}
