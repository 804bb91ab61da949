package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.recalign.llm.AdamW;
import io.recalign.llm.LanguageModelTrainer;
import io.recalign.llm.LlamaModel;
import io.recalign.tasks.RlPrompt;
import io.recalign.tasks.RlPromptSampler;
import io.recalign.tasks.Split;
import io.recalign.tasks.TaskFamily;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end on the tiny world of {@link RlFixtures}: +C prompts that all ask for Drama films, so the
 * briefly fine-tuned model (which lists films regardless of genre) has an easy control to learn.
 */
class RlStepTest {

    private static final List<TaskFamily> PLUS_C = List.of(TaskFamily.CONTROL_IN);
    private static final int DRAMA = 0;
    private static final int MAX_NEW_TOKENS = 48;

    private static NDManager manager;
    private static int threads;
    private static RlFixtures.World world;
    private static RlPromptSampler sampler;
    private static List<RlPrompt> valid;

    @BeforeAll
    static void start() {
        Engine.getEngine("PyTorch");
        threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);  // tiny tensors: OpenMP threads cost more than they give on a busy machine
        manager = NDManager.newBaseManager();
        world = RlFixtures.world(manager, 160);
        sampler = new RlPromptSampler(world.snapshot(), world.teacher());
        valid = drama(sampler.sample(150, 77, Split.VALID, PLUS_C));
    }

    @AfterAll
    static void stop() {
        world.close();
        manager.close();
        JniUtils.setNumThreads(threads);
    }

    private static List<RlPrompt> drama(List<RlPrompt> prompts) {
        return prompts.stream().filter(prompt -> prompt.parameters().category() == DRAMA).toList();
    }

    private static RlParams params(String algorithm, int prompts, double lr) {
        return params(algorithm, prompts, lr, false);
    }

    private static RlParams params(String algorithm, int prompts, double lr, boolean decoupled) {
        return new RlParams(null, algorithm, null, prompts, null, null, null, null, lr, null, null, null, null, null, null,
                null, null, null, null, MAX_NEW_TOKENS, null, null, decoupled, null, null, null, null, null, null, 7L, null)
                .withDefaults();
    }

    @Test
    void ppoRaisesTheRewardOfPlusCAndTheShareOfListedFilmsInC() {
        Outcome outcome = train(params(RlParams.PPO, 16, 1e-3), 12);

        // seen: reward 0.19 -> 3.5, Drama share 0.36 -> 0.67
        assertThat(outcome.after.reward).isGreaterThan(outcome.before.reward + 0.8);
        assertThat(outcome.after.precision).isGreaterThan(outcome.before.precision + 0.25);
        assertThat(outcome.last.kl()).isPositive();
        assertThat(outcome.last.updates()).isPositive();
        assertThat(outcome.last.rewardByTask()).containsOnlyKeys("control-in");
    }

    @ParameterizedTest(name = "decoupled {0}")
    @ValueSource(booleans = {false, true})
    void grpoRaisesTheRewardOfPlusCToo(boolean decoupled) {
        Outcome outcome = train(params(RlParams.GRPO, 8, 1e-3, decoupled), 12);

        // seen: reward 0.19 -> 6.1, Drama share 0.36 -> 0.94 (decoupled: 5.6, 0.84)
        assertThat(outcome.after.reward).isGreaterThan(outcome.before.reward + 0.8);
        assertThat(outcome.after.precision).isGreaterThan(outcome.before.precision);
        assertThat(outcome.last.valueLoss()).isZero();
    }

    @Test
    void ppoNeedsAValueHeadAndGrpoNone() {
        LlamaModel model = world.model();
        InstructionCodec codec = new InstructionCodec(world.tokenizer(), model.config());
        Reward reward = new Reward(world.snapshot(), world.teacher(), false);
        assertThatThrownBy(() -> new RlStep(model, model, null, codec, reward, params(RlParams.PPO, 4, 1e-3), null,
                manager, MAX_NEW_TOKENS)).isInstanceOf(IllegalArgumentException.class);
    }

    private record Figures(double reward, double precision) {
    }

    private record Outcome(Figures before, Figures after, RlStep.Report last) {
    }

    /** Trains a copy of the fine-tuned model against a frozen copy for {@code steps} steps. */
    private static Outcome train(RlParams params, int steps) {
        LlamaModel sft = world.model();
        try (LlamaModel policy = LlamaModel.fromTensors(sft.config(), sft.exportTensors(), manager);
             LlamaModel reference = LlamaModel.fromTensors(sft.config(), sft.exportTensors(), manager);
             ValueHead head = params.grpo() ? null : ValueHead.create(sft.config().hiddenSize(), manager);
             AdamW optimizer = RlStep.optimizer(policy, head, manager, params)) {
            RlStep step = new RlStep(policy, reference, head, new InstructionCodec(world.tokenizer(), sft.config()),
                    new Reward(world.snapshot(), world.teacher(), params.penaliseShortfall()), params, new LanguageModelTrainer(policy, optimizer),
                    manager, MAX_NEW_TOKENS);
            Figures before = figures(step.greedyScores(valid));
            RlStep.Report last = null;
            for (int i = 0; i < steps; i++) {
                List<RlPrompt> prompts = drama(sampler.sample(6 * params.prompts(), 1000 + i, Split.TRAIN, PLUS_C))
                        .stream().limit(params.prompts()).toList();
                last = step.run(prompts, i);
            }
            return new Outcome(before, figures(step.greedyScores(valid)), last);
        }
    }

    /** Mean reward, and the share of Drama films among the films listed within N. */
    private static Figures figures(List<Reward.Score> scores) {
        double reward = 0;
        long listed = 0;
        long inC = 0;
        for (int i = 0; i < scores.size(); i++) {
            reward += scores.get(i).total();
            int[] films = Arrays.stream(scores.get(i).items()).limit(valid.get(i).parameters().count())
                    .filter(item -> item >= 0).toArray();
            listed += films.length;
            inC += Arrays.stream(films).filter(item -> item % 3 == DRAMA).count();
        }
        return new Figures(reward / scores.size(), (double) inC / Math.max(1, listed));
    }
}
