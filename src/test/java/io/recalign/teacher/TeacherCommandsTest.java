package io.recalign.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recalign.IntegrationTest;
import io.recalign.TestHome;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.catalog.SyntheticSpec;
import io.recalign.system.Cli;
import io.recalign.system.ContextCommand;
import io.recalign.system.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The teacher commands. {@code teacher train} runs as the command line runs it (its own Spring context,
 * joining the test service's database, the job in the foreground); the others run against the test context.
 */
@IntegrationTest
class TeacherCommandsTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    CatalogService catalog;

    @Autowired
    TeacherService teachers;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void trainPrintsEpochsThenTheResultAsItsLastLineAndOtherCommandsUseTheTeacher() throws Exception {
        catalog.generateSynthetic("teacher-cli", new SyntheticSpec(60, 80, 12, 31));
        Output train = cli("teacher", "train", "--dataset", "teacher-cli", "--max-len", "8", "--hidden", "32",
                "--blocks", "1", "--batch-size", "64", "--epochs", "2", "--json");

        assertThat(train.status()).as(train.err()).isZero();
        assertThat(train.err().lines().filter(line -> line.startsWith("training epoch "))).hasSize(2);
        List<String> lines = train.out().lines().toList();
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("teacher ").contains(" of teacher-cli: best epoch "));
        JsonNode result = json.readTree(lines.get(lines.size() - 1));
        assertThat(result.propertyNames()).contains("teacher_id", "dataset", "best_epoch", "epochs_run", "train_seconds",
                "seconds_per_epoch", "valid", "test");
        assertThat(result.get("test").propertyNames())
                .contains("hr@10", "ndcg@10", "hr@20", "ndcg@20", "sampled_hr@10", "sampled_ndcg@10");
        assertThat(result.get("dataset").asString()).isEqualTo("teacher-cli");
        assertThat(result.get("epochs_run").asInt()).isEqualTo(2);
        long teacherId = result.get("teacher_id").asLong();
        TeacherRecord stored = teachers.activeRecord("teacher-cli");
        assertThat(stored.id()).isEqualTo(teacherId);
        assertThat(stored.jobId()).as("the foreground job is kept").isNotNull();
        assertThat(stored.config().model().feedForward()).isEqualTo(64);

        List<String> eval = run(new TeacherEvalCommand(), "--dataset", "teacher-cli", "--teacher", Long.toString(teacherId),
                "--json");
        JsonNode evaluation = json.readTree(eval.get(eval.size() - 1));
        assertThat(evaluation.get("teacher_id").asLong()).isEqualTo(teacherId);
        assertThat(evaluation.get("test").get("ndcg@10").asDouble()).isEqualTo(result.get("test").get("ndcg@10").asDouble());

        CatalogSnapshot snapshot = catalog.snapshot("teacher-cli");
        CatalogSnapshot.UserSequence user = snapshot.users().get(0);
        String category = snapshot.categories().get(0);
        List<String> titles = run(new TeacherRecommendCommand(), "--dataset", "teacher-cli", "--user", user.externalId(),
                "--k", "5", "--in", category);
        assertThat(titles).hasSize(5).allSatisfy(line -> assertThat(categoriesOf(line)).contains(category));
        List<String> others = run(new TeacherRecommendCommand(), "--dataset", "teacher-cli", "--user", user.externalId(),
                "--not-in", category);
        assertThat(others).hasSize(10).allSatisfy(line -> assertThat(categoriesOf(line)).doesNotContain(category));
        for (int item : user.items()) {
            assertThat(others).noneSatisfy(line -> assertThat(line).contains(". " + snapshot.items().get(item).title() + "  ["));
        }
        assertThatThrownBy(() -> run(new TeacherRecommendCommand(), "--dataset", "teacher-cli", "--user", "nobody"))
                .isInstanceOf(NotFoundException.class).hasMessage("no user 'nobody' in dataset teacher-cli");
        assertThatThrownBy(() -> run(new TeacherRecommendCommand(), "--dataset", "teacher-cli", "--user", user.externalId(),
                "--in", "Nonsense")).isInstanceOf(NotFoundException.class).hasMessageStartingWith("no category 'Nonsense'");
    }

    @Test
    void benchPrintsTrainingThroughputAndStoresNothing() throws Exception {
        catalog.generateSynthetic("teacher-bench", new SyntheticSpec(40, 60, 10, 32));
        List<String> lines = run(new TeacherBenchCommand(), "--dataset", "teacher-bench", "--hidden", "32", "--blocks", "1",
                "--epochs", "2", "--json");
        JsonNode figures = json.readTree(lines.get(lines.size() - 1));
        assertThat(figures.get("epochsMeasured").asInt()).isEqualTo(1);
        assertThat(figures.get("sequencesPerSecond").asDouble()).isPositive();
        assertThat(figures.get("secondsPerEpoch").asDouble()).isPositive();
        assertThat(figures.get("evaluationSeconds").asDouble()).isPositive();
        assertThat(teachers.list("teacher-bench", 10)).isEmpty();
    }

    /** The category names a recommendation line ends with: {@code " 1. Title  [A|B]"}. */
    private static List<String> categoriesOf(String line) {
        String bracket = line.substring(line.lastIndexOf('[') + 1, line.length() - 1);
        return List.of(bracket.split("\\|"));
    }

    private record Output(int status, String out, String err) {
    }

    /** Runs the jar's command line in this JVM on the test service's data directory. */
    private static Output cli(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setProperty("recalign.home", TestHome.path().toString());
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Cli.execute(args);
            return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            System.clearProperty("recalign.home");
        }
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
