package io.recalign.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recalign.IntegrationTest;
import io.recalign.system.ConflictException;
import io.recalign.system.ContextCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The catalog's commands, parsed by picocli and run against the test service's context. */
@IntegrationTest
class CatalogCommandsTest {

    @Autowired
    ApplicationContext context;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void importWithJsonEndsWithTheFilteredCounts() throws Exception {
        List<String> lines = run(new ImportCommand(), "--format", "movielens", "--path",
                CatalogFixtures.folder("movielens-1m").toString(), "--name", "cli-1m", "--min-count", "3", "--json");

        JsonNode counts = json.readTree(lines.get(lines.size() - 1));
        assertThat(counts.propertyNames()).containsExactly("dataset", "users", "items", "interactions", "categories");
        assertThat(counts.get("dataset").asString()).isEqualTo("cli-1m");
        assertThat(counts.get("users").asInt()).isEqualTo(3);
        assertThat(counts.get("items").asInt()).isEqualTo(5);
        assertThat(counts.get("interactions").asInt()).isEqualTo(15);
        assertThat(counts.get("categories").asInt()).isEqualTo(4);

        assertThatThrownBy(() -> run(new ImportCommand(), "--format", "movielens", "--path",
                CatalogFixtures.folder("movielens-1m").toString(), "--name", "cli-1m"))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void syntheticAndDatasetsList() throws Exception {
        List<String> created = run(new SyntheticCommand(), "--name", "cli-synthetic", "--users", "30", "--items", "50",
                "--interactions-per-user", "10", "--seed", "5", "--json");
        JsonNode counts = json.readTree(created.get(created.size() - 1));
        assertThat(counts.get("dataset").asString()).isEqualTo("cli-synthetic");
        assertThat(counts.get("users").asInt())
                .isEqualTo(context.getBean(CatalogService.class).dataset("cli-synthetic").users()).isPositive();

        List<String> listed = run(new DatasetsCommand(), "--json");
        assertThat(listed.get(0)).startsWith("NAME");
        assertThat(listed).anySatisfy(line -> assertThat(line).startsWith("cli-synthetic").contains("synthetic"));
        JsonNode datasets = json.readTree(listed.get(listed.size() - 1)).get("datasets");
        assertThat(datasets.valueStream().map(d -> d.get("name").asString())).contains("cli-synthetic");
    }

    @Test
    void importBenchReportsTimingsAndKeepsNothing() throws Exception {
        List<String> lines = run(new ImportBenchCommand(), "--format", "jsonl", "--path",
                CatalogFixtures.folder("jsonl").toString(), "--min-count", "3", "--json");

        JsonNode figures = json.readTree(lines.get(lines.size() - 1));
        assertThat(figures.get("rows").asInt()).isEqualTo(23);
        assertThat(figures.get("interactions").asInt()).isEqualTo(15);
        assertThat(figures.get("totalMillis").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(context.getBean(CatalogService.class).datasets())
                .noneSatisfy(dataset -> assertThat(dataset.name()).startsWith("bench-"));
    }

    private List<String> run(ContextCommand command, String... args) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.parseArgs(args);
        assertThat(command.run(context)).isZero();
        return out.toString().lines().toList();
    }
}
