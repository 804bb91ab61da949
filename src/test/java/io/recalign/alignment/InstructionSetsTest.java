package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recalign.IntegrationTest;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.SyntheticSpec;
import io.recalign.system.BadRequestException;
import io.recalign.system.NotFoundException;
import io.recalign.tasks.LabelledExample;
import io.recalign.tasks.Split;
import io.recalign.tasks.TaskFamily;
import io.recalign.teacher.TeacherService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Instruction sets: deterministic builds, storage, the admin API and the {@code tasks build} command. */
@IntegrationTest
class InstructionSetsTest {

    private static final String BEARER = "Bearer " + IntegrationTest.ADMIN_TOKEN;

    @Autowired
    InstructionSets sets;

    @Autowired
    CatalogService catalog;

    @Autowired
    TeacherService teachers;

    @Autowired
    RestTestClient http;

    @Autowired
    ApplicationContext context;

    private InstructionSet fixture;

    @BeforeEach
    void fixture() {
        fixture = AlignmentFixture.instructionSet(catalog, teachers, sets);
    }

    @Test
    void theSameSeedRebuildsTheSameExamplesAndAnotherSeedOthers() {
        InstructionSet again = sets.build(AlignmentFixture.DATASET, AlignmentFixture.SEED, AlignmentFixture.PLAN);
        InstructionSet other = sets.build(AlignmentFixture.DATASET, AlignmentFixture.SEED + 1, AlignmentFixture.PLAN);

        List<LabelledExample> original = sets.examples(fixture.id(), null, null, 0);
        assertThat(again.id()).isNotEqualTo(fixture.id());
        assertThat(sets.examples(again.id(), null, null, 0)).isEqualTo(original);
        assertThat(again.counts()).isEqualTo(fixture.counts());
        assertThat(sets.examples(other.id(), null, null, 0)).isNotEqualTo(original);
        assertThat(other.seed()).isEqualTo(AlignmentFixture.SEED + 1);
        assertThat(sets.latest(AlignmentFixture.DATASET)).map(InstructionSet::id).contains(other.id());
    }

    @Test
    void aSetStoresEveryPlannedTrainingExampleWithItsParameters() {
        assertThat(fixture.teacherId()).isEqualTo(teachers.activeRecord(AlignmentFixture.DATASET).id());
        for (TaskFamily family : TaskFamily.values()) {
            int planned = AlignmentFixture.PLAN.count(Split.TRAIN, family);
            assertThat(fixture.counts().get("train").get(family.code())).as(family.code()).isEqualTo(planned);
            assertThat(fixture.plan().get("train").get(family.code())).isEqualTo(planned);
            assertThat(fixture.counts().get("valid").getOrDefault(family.code(), 0))
                    .isLessThanOrEqualTo(AlignmentFixture.PLAN.count(Split.VALID, family));
        }
        List<LabelledExample> seqRec = sets.examples(fixture.id(), Split.VALID, TaskFamily.SEQ_REC, 5);
        assertThat(seqRec).hasSize(5).allSatisfy(example -> {
            assertThat(example.task()).isEqualTo(TaskFamily.SEQ_REC);
            assertThat(example.split()).isEqualTo(Split.VALID);
            assertThat(example.parameters().label()).hasSize(example.parameters().count())
                    .first().isEqualTo(example.parameters().target());
            assertThat(example.parameters().history()).isNotEmpty();
        });
        assertThat(fixture.total("train")).isEqualTo(sets.examples(fixture.id(), Split.TRAIN, null, 0).size());
    }

    @Test
    void planOverridesAreCheckedByName() {
        assertThat(InstructionSets.plan(Map.of("train", Map.of("seqrec", 7))).count(Split.TRAIN, TaskFamily.SEQ_REC)).isEqualTo(7);
        assertThat(InstructionSets.plan(Map.of()).count(Split.TRAIN, TaskFamily.SEQ_REC))
                .isEqualTo(InstructionSets.defaultPlan().count(Split.TRAIN, TaskFamily.SEQ_REC)).isPositive();
        assertThatThrownBy(() -> InstructionSets.plan(Map.of("dev", Map.of("seqrec", 1))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("unknown split 'dev'");
        assertThatThrownBy(() -> InstructionSets.plan(Map.of("train", Map.of("seqrek", 1))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("unknown task 'seqrek'");
        assertThatThrownBy(() -> InstructionSets.plan(Map.of("train", Map.of("seqrec", -1))))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> InstructionSets.plan(Map.of("train", Map.of("seqrec", Integer.MAX_VALUE))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("between 0 and 300000");
    }

    @Test
    void aDatasetWithoutTeacherOrSetIsNotFound() {
        catalog.generateSynthetic("sets-untaught", new SyntheticSpec(20, 20, 10, 3));

        assertThatThrownBy(() -> sets.build("sets-untaught", 1, AlignmentFixture.PLAN))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("teacher train --dataset sets-untaught");
        http.get().uri("/admin/datasets/sets-untaught/instructions").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("dataset 'sets-untaught' has no instruction set;"
                        + " run `tasks build --dataset sets-untaught`");
    }

    @Test
    void adminApiShowsTheLatestSetFilteredByTaskAndSplit() {
        long latest = sets.latest(AlignmentFixture.DATASET).orElseThrow().id();

        http.get().uri("/admin/datasets/{name}/instructions?task=item-count&split=train&limit=3", AlignmentFixture.DATASET)
                .header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.set.id").isEqualTo(latest)
                .jsonPath("$.set.dataset").isEqualTo(AlignmentFixture.DATASET)
                .jsonPath("$.examples.length()").isEqualTo(3)
                .jsonPath("$.examples[0].task").isEqualTo("item-count")
                .jsonPath("$.examples[2].split").isEqualTo("train")
                .jsonPath("$.examples[0].prompt").value(String.class, prompt -> assertThat(prompt).contains("exactly"))
                .jsonPath("$.examples[0].parameters.count").exists();
        http.get().uri("/admin/datasets/{name}/instructions?task=nope", AlignmentFixture.DATASET)
                .header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/admin/datasets/no-such-dataset/instructions").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isNotFound();
        http.get().uri("/admin/datasets/{name}/instructions", AlignmentFixture.DATASET).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void adminApiBuildsASetWithTheGivenCounts() {
        Map<String, Map<String, Integer>> counts = new java.util.LinkedHashMap<>();
        for (String split : List.of("train", "valid", "test")) {
            Map<String, Integer> perTask = new java.util.LinkedHashMap<>();
            for (TaskFamily family : TaskFamily.values()) {
                perTask.put(family.code(), split.equals("train") ? 3 : split.equals("valid") ? 1 : 0);
            }
            counts.put(split, perTask);
        }

        http.post().uri("/admin/datasets/{name}/instructions", AlignmentFixture.DATASET)
                .header(HttpHeaders.AUTHORIZATION, BEARER).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("seed", 11, "counts", counts)).exchange()
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.seed").isEqualTo(11)
                .jsonPath("$.teacherId").isEqualTo(teachers.activeRecord(AlignmentFixture.DATASET).id())
                .jsonPath("$.counts.train.seqrec").isEqualTo(3)
                .jsonPath("$.plan.test.seqrec").isEqualTo(0);
        http.post().uri("/admin/datasets/{name}/instructions", AlignmentFixture.DATASET)
                .header(HttpHeaders.AUTHORIZATION, BEARER).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("counts", Map.of("dev", Map.of("seqrec", 1)))).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("unknown split 'dev'; one of train, valid, test");
    }

    @Test
    void tasksBuildPrintsCountsPerTaskAndSplit() {
        StringWriter out = new StringWriter();
        TasksCommand.Build command = new TasksCommand.Build();
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        List<String> args = new java.util.ArrayList<>(List.of("--dataset", AlignmentFixture.DATASET, "--seed", "9", "--json"));
        for (TaskFamily family : TaskFamily.values()) {
            boolean seqRec = family == TaskFamily.SEQ_REC;
            args.addAll(List.of("--count", "train." + family.code() + "=" + (seqRec ? 12 : 2),
                    "--count", "valid." + family.code() + "=" + (seqRec ? 3 : 1), "--count", "test." + family.code() + "=0"));
        }
        commandLine.parseArgs(args.toArray(String[]::new));

        assertThat(command.run(context)).isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(1)).startsWith("TASK").contains("TRAIN", "VALID", "TEST");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("seqrec").contains(" 12 ").endsWith(" 0"));
        JsonNode summary = JsonMapper.builder().build().readTree(lines.get(lines.size() - 1));
        assertThat(summary.get("seed").asLong()).isEqualTo(9);
        assertThat(summary.get("counts").get("train").get("seqrec").asInt()).isEqualTo(12);
        assertThat(summary.get("counts").get("valid").get("seqrec").asInt()).isEqualTo(3);
        assertThat(sets.get(summary.get("instruction_set_id").asLong()).dataset()).isEqualTo(AlignmentFixture.DATASET);
    }
}
