package io.recalign.demo;

import io.recalign.catalog.SyntheticSpec;
import io.recalign.tasks.InstructionPlan;
import io.recalign.tasks.TaskFamily;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sizes of the demo pipeline under {@code recalign.demo.*}. The defaults finish the whole pipeline (catalog,
 * teacher, instruction set, SFT, RL, three evaluations, activation) within 15 minutes on two CPU cores.
 *
 * @param enabled              run the pipeline when the service starts on a database without datasets (and
 *                             finish one started earlier); {@code demo} runs it whatever this says
 * @param dataset              name of the demo dataset
 * @param datasetDir           a folder to import as the demo dataset instead of generating one ({@code jsonl}
 *                             when it holds {@code items.jsonl}, else {@code movielens}); blank: synthetic
 * @param users                synthetic users
 * @param items                synthetic items
 * @param interactionsPerUser  synthetic interactions per user (about)
 * @param seed                 seed of every stage: catalog, teacher, instruction set, SFT, RL, evaluation sample
 * @param teacherEpochs        most teacher epochs
 * @param teacherPatience      epochs without a better validation NDCG before the teacher stops
 * @param teacherHidden        teacher width (the paper's 128 is more than a small catalog needs)
 * @param trainExamples        training examples per task of the instruction set; SeqRec, the accuracy task,
 *                             gets three times as many
 * @param validExamples        validation examples per task; SeqRec gets three times as many (its Recall@10)
 * @param sftSteps             SFT optimizer steps
 * @param sftBatchSize         SFT sequences per step
 * @param sftHidden            width of the SFT model created from scratch
 * @param sftLayers            decoder layers of the SFT model
 * @param rlSteps              RL (PPO) rollout batches
 * @param rlPrompts            prompts per rollout batch
 * @param rlValidPrompts       prompts of each RL validation
 * @param evaluationUsers      test users sampled by each evaluation
 */
@ConfigurationProperties("recalign.demo")
record DemoSettings(@DefaultValue("true") boolean enabled, @DefaultValue("demo") String dataset, String datasetDir,
        @DefaultValue("200") int users, @DefaultValue("200") int items, @DefaultValue("30") int interactionsPerUser,
        @DefaultValue("42") long seed, @DefaultValue("12") int teacherEpochs, @DefaultValue("4") int teacherPatience,
        @DefaultValue("64") int teacherHidden, @DefaultValue("150") int trainExamples,
        @DefaultValue("10") int validExamples, @DefaultValue("300") int sftSteps, @DefaultValue("16") int sftBatchSize,
        @DefaultValue("128") int sftHidden, @DefaultValue("2") int sftLayers, @DefaultValue("20") int rlSteps,
        @DefaultValue("8") int rlPrompts, @DefaultValue("16") int rlValidPrompts,
        @DefaultValue("50") int evaluationUsers) {

    /** Heads of the SFT model are this wide, as in the default CPU config. */
    private static final int HEAD_DIM = 64;

    DemoSettings {
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("recalign.demo.dataset must name the demo dataset");
        }
        if (datasetDir != null && datasetDir.isBlank()) {
            datasetDir = null;
        }
        if (datasetDir == null) {
            new SyntheticSpec(users, items, interactionsPerUser, seed); // fails now, naming the bad size
        }
        positive("teacher-epochs", teacherEpochs);
        positive("teacher-patience", teacherPatience);
        positive("teacher-hidden", teacherHidden);
        positive("train-examples", trainExamples);
        positive("valid-examples", validExamples);
        positive("sft-steps", sftSteps);
        positive("sft-batch-size", sftBatchSize);
        positive("sft-layers", sftLayers);
        positive("rl-steps", rlSteps);
        positive("rl-prompts", rlPrompts);
        positive("rl-valid-prompts", rlValidPrompts);
        positive("evaluation-users", evaluationUsers);
        if (sftHidden < HEAD_DIM || sftHidden % HEAD_DIM != 0) {
            throw new IllegalArgumentException("recalign.demo.sft-hidden must be a positive multiple of " + HEAD_DIM
                    + ", was " + sftHidden);
        }
        if (teacherHidden % 2 != 0) {
            throw new IllegalArgumentException("recalign.demo.teacher-hidden must be even (two heads), was "
                    + teacherHidden);
        }
    }

    /** The folder to import, or empty for a synthetic catalog. */
    Optional<Path> importFolder() {
        return Optional.ofNullable(datasetDir).map(Path::of);
    }

    SyntheticSpec synthetic() {
        return new SyntheticSpec(users, items, interactionsPerUser, seed);
    }

    /** Parameters of the {@code teacher} job. */
    Map<String, Object> teacherParams() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("hidden", teacherHidden);
        params.put("epochs", teacherEpochs);
        params.put("patience", teacherPatience);
        params.put("seed", (int) seed);
        return params;
    }

    /** Every task with {@code trainExamples} (SeqRec three times that), validation likewise, no test split. */
    InstructionPlan instructionPlan() {
        Map<TaskFamily, Integer> train = new EnumMap<>(TaskFamily.class);
        Map<TaskFamily, Integer> valid = new EnumMap<>(TaskFamily.class);
        for (TaskFamily family : TaskFamily.values()) {
            int weight = family == TaskFamily.SEQ_REC ? 3 : 1;
            train.put(family, weight * trainExamples);
            valid.put(family, weight * validExamples);
        }
        // evaluation builds its own test tasks from the catalog's test split
        return new InstructionPlan(train, valid, Map.of());
    }

    /** Parameters of the {@code sft} job on instruction set {@code instructionSet}. */
    Map<String, Object> sftParams(long instructionSet) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("instructionSet", instructionSet);
        params.put("steps", sftSteps);
        params.put("batchSize", sftBatchSize);
        params.put("seed", seed);
        int heads = sftHidden / HEAD_DIM;
        params.put("model", Map.of("hiddenSize", sftHidden, "intermediateSize", sftHidden * 11 / 4,
                "layers", sftLayers, "heads", heads, "keyValueHeads", Math.max(1, heads / 2)));
        return params;
    }

    /** Parameters of the {@code rl} job (PPO) from SFT model {@code sftModel}. */
    Map<String, Object> rlParams(long sftModel) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("fromModel", sftModel);
        params.put("steps", rlSteps);
        params.put("prompts", rlPrompts);
        params.put("miniBatch", rlPrompts);
        params.put("validPrompts", rlValidPrompts);
        params.put("seed", seed);
        return params;
    }

    /** Parameters of an {@code evaluation} job: {@code model} is {@code teacher} or a model id (free decoding). */
    Map<String, Object> evaluationParams(String model, boolean teacher) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", model);
        if (!teacher) {
            params.put("decoding", "free");
        }
        params.put("users", evaluationUsers);
        params.put("seed", seed);
        return params;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("recalign.demo." + name + " must be at least 1, was " + value);
        }
    }
}
