package io.recalign.teacher;

import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.system.BadRequestException;
import io.recalign.system.ContextCommand;
import io.recalign.system.NotFoundException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** What the active teacher recommends after a user's whole sequence, optionally within or outside categories. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Print the active teacher's top items for a user (history excluded), by title.")
final class TeacherRecommendCommand implements ContextCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "dataset of the user")
    String dataset;

    @Option(names = "--user", required = true, description = "the user's id in the dataset")
    String user;

    @Option(names = "--k", defaultValue = "10", description = "how many items (default ${DEFAULT-VALUE})")
    int k;

    @ArgGroup(exclusive = true)
    Constraint constraint = new Constraint();

    static final class Constraint {
        @Option(names = "--in", split = ",", paramLabel = "CATEGORY", description = "only items of these categories")
        List<String> in;

        @Option(names = "--not-in", split = ",", paramLabel = "CATEGORY", description = "no item of these categories")
        List<String> notIn;
    }

    @Override
    public int run(ApplicationContext context) {
        if (k < 1) {
            throw new BadRequestException("--k must be at least 1, was " + k);
        }
        CatalogSnapshot snapshot = context.getBean(CatalogService.class).snapshot(dataset);
        int userIndex = snapshot.userByExternalId(user)
                .orElseThrow(() -> new NotFoundException("no user '" + user + "' in dataset " + dataset));
        CategoryConstraint categories = constraint.in != null ? CategoryConstraint.in(categories(snapshot, constraint.in))
                : constraint.notIn != null ? CategoryConstraint.notIn(categories(snapshot, constraint.notIn))
                : CategoryConstraint.NONE;
        int[] history = snapshot.users().get(userIndex).items();
        int[] items = context.getBean(TeacherService.class).require(dataset).topK(TopKQuery.of(history, k, categories));
        PrintWriter out = spec.commandLine().getOut();
        for (int rank = 0; rank < items.length; rank++) {
            CatalogSnapshot.Item item = snapshot.items().get(items[rank]);
            String itemCategories = Arrays.stream(item.categories()).mapToObj(snapshot.categories()::get)
                    .collect(Collectors.joining("|"));
            out.printf("%2d. %s  [%s]%n", rank + 1, item.title(), itemCategories);
        }
        out.flush();
        return 0;
    }

    private static int[] categories(CatalogSnapshot snapshot, List<String> names) {
        return names.stream().mapToInt(name -> snapshot.categoryByName(name.strip()).orElseThrow(() ->
                new NotFoundException("no category '" + name.strip() + "' in dataset " + snapshot.dataset()
                        + "; categories: " + String.join(", ", snapshot.categories())))).toArray();
    }
}
