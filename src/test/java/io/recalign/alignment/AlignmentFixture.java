package io.recalign.alignment;

import io.recalign.catalog.CatalogService;
import io.recalign.catalog.SyntheticSpec;
import io.recalign.tasks.InstructionPlan;
import io.recalign.tasks.TaskFamily;
import io.recalign.teacher.SasRecConfig;
import io.recalign.teacher.TeacherService;
import io.recalign.teacher.TrainingExamples;
import io.recalign.teacher.TrainingOptions;
import io.recalign.teacher.TrainingProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.stream.Stream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One small synthetic dataset with a tiny trained teacher and an instruction set, made once per test
 * JVM and shared by the alignment tests (which must not change it), plus the tiny SFT settings they use.
 */
final class AlignmentFixture {

    static final String DATASET = "align-fixture";
    static final long SEED = 42;
    /** Thirty training examples of every task; validation mostly SeqRec (for Recall@10). */
    static final InstructionPlan PLAN = plan(30, 4, 24);
    /** A model of about 0.2 M parameters: hidden 64, 2 layers, 4 heads of 16. */
    static final SftParams.ModelShape TINY = new SftParams.ModelShape(64, 176, 2, 4, 2, 256);

    private static InstructionSet set;

    private AlignmentFixture() {
    }

    /** The fixture's instruction set, creating dataset, teacher and set on first use. */
    static synchronized InstructionSet instructionSet(CatalogService catalog, TeacherService teachers, InstructionSets sets) {
        if (set == null) {
            catalog.generateSynthetic(DATASET, new SyntheticSpec(60, 60, 12, 5));
            teachers.train(DATASET, new SasRecConfig(8, 32, 1, 2, 64, 0.1),
                    new TrainingOptions(10, 5, 64, 5e-3, 7, TrainingExamples.ALL_WINDOWS), TrainingProgress.NONE,
                    () -> false, null);
            set = sets.build(DATASET, SEED, PLAN);
        }
        return set;
    }

    /** Parameters of a tiny from-scratch SFT run on the fixture's set. */
    static Map<String, Object> tinyRun(int steps, int evalEvery, int checkpointEvery) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("instructionSet", set.id());
        params.put("steps", steps);
        params.put("batchSize", 8);
        params.put("lr", 1e-2);
        params.put("threads", 1);
        params.put("warmupSteps", 4);
        params.put("evalEvery", evalEvery);
        params.put("checkpointEvery", checkpointEvery);
        params.put("logEvery", 5);
        params.put("validExamples", 32);
        params.put("recallExamples", 16);
        params.putAll(tinyModel());
        return params;
    }

    /** The {@code model} parameter of an SFT job that trains the {@link #TINY} shape from scratch. */
    static Map<String, Object> tinyModel() {
        return Map.of("model", Map.of("hiddenSize", TINY.hiddenSize(), "intermediateSize", TINY.intermediateSize(),
                "layers", TINY.layers(), "heads", TINY.heads(), "keyValueHeads", TINY.keyValueHeads(),
                "context", TINY.context()));
    }

    private static InstructionPlan plan(int train, int valid, int validSeqRec) {
        Map<TaskFamily, Integer> trainCounts = new EnumMap<>(TaskFamily.class);
        Map<TaskFamily, Integer> validCounts = new EnumMap<>(TaskFamily.class);
        for (TaskFamily family : TaskFamily.values()) {
            trainCounts.put(family, family == TaskFamily.SEQ_REC ? 3 * train : train);
            validCounts.put(family, family == TaskFamily.SEQ_REC ? validSeqRec : valid);
        }
        return new InstructionPlan(trainCounts, validCounts, Map.of());
    }

    /** The names in the model store folder of a home (empty when it has none). */
    static List<String> storeEntries(Path home) {
        Path store = home.resolve(ModelStore.FOLDER);
        if (!Files.isDirectory(store)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(store)) {
            return entries.map(path -> path.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
