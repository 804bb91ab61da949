package io.recalign.alignment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recalign.llm.AdamW;
import io.recalign.llm.Generation;
import io.recalign.llm.GenerationSettings;
import io.recalign.llm.Generator;
import io.recalign.llm.LanguageModelTrainer;
import io.recalign.llm.LearningRateSchedule;
import io.recalign.llm.LlamaModel;
import io.recalign.llm.NoGrad;
import io.recalign.llm.Sampler;
import io.recalign.tasks.RlPrompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * One RL step (method §5): answers to a batch of prompts from the batched KV-cache generator (per prompt
 * a greedy answer and sampled ones), their rewards, the policy's and the frozen reference's log-probs and
 * the value head's values, advantages (PPO: GAE on per-token rewards that carry the KL penalty; GRPO:
 * answer rewards, or their parts apart, normalised within each prompt's group, the KL as a loss term), then a few epochs of
 * clipped updates in mini-batches, stopped early when the policy drifts past the target KL. Runs on the
 * training thread.
 */
final class RlStep {

    /** What one step did, for progress and the logged history. */
    record Report(double meanReward, Map<String, Double> rewardByTask, double kl, double entropy,
                  double clipFraction, double approxKl, double policyLoss, double valueLoss, int updates,
                  int skippedUpdates, double answerTokens, long tokens) {
    }

    /** One answer of a rollout: its prompt (index in the batch), whether it was greedy, its tokens and text. */
    record Answer(int prompt, boolean greedy, int[] promptTokens, int[] tokens, String text) {
    }

    private final LlamaModel policy;
    private final LlamaModel reference;
    private final ValueHead valueHead;
    private final InstructionCodec codec;
    private final Reward reward;
    private final RlParams params;
    private final LanguageModelTrainer trainer;
    private final NDManager root;
    private final int maxNewTokens;
    private final Generator generator;

    /**
     * @param valueHead null for GRPO
     * @param trainer   steps an optimizer over the policy's parameters and the value head's
     */
    RlStep(LlamaModel policy, LlamaModel reference, ValueHead valueHead, InstructionCodec codec, Reward reward,
           RlParams params, LanguageModelTrainer trainer, NDManager root, int maxNewTokens) {
        if (params.grpo() != (valueHead == null)) {
            throw new IllegalArgumentException("PPO needs a value head and GRPO none");
        }
        this.policy = policy;
        this.reference = reference;
        this.valueHead = valueHead;
        this.codec = codec;
        this.reward = reward;
        this.params = params;
        this.trainer = trainer;
        this.root = root;
        this.maxNewTokens = maxNewTokens;
        this.generator = new Generator(policy);
    }

    /**
     * One AdamW over the policy's parameters and the value head's (null for GRPO), at the constant RL
     * learning rate, decaying the policy's matrices only.
     */
    static AdamW optimizer(LlamaModel policy, ValueHead valueHead, NDManager root, RlParams params) {
        Map<String, NDArray> parameters = new LinkedHashMap<>(policy.parameters());
        if (valueHead != null) {
            valueHead.requireGradients();
            parameters.putAll(valueHead.parameters());
        }
        policy.requireGradients();
        return new AdamW(parameters, policy.decayedParameters(), root,
                new AdamW.Settings(0.9, 0.95, 1e-8, params.weightDecay(), params.maxGradNorm()),
                LearningRateSchedule.constant(params.lr()));
    }

    /** Rolls out, scores and optimises on {@code prompts}; {@code seed} drives sampling and mini-batch order. */
    Report run(List<RlPrompt> prompts, long seed) {
        Random random = new Random(seed);
        List<Answer> answers = rollout(prompts, random);
        List<Reward.Score> scores = score(prompts, answers);
        int count = answers.size();
        List<int[]> promptTokens = answers.stream().map(Answer::promptTokens).toList();
        List<int[]> continuations = answers.stream().map(Answer::tokens).toList();
        TokenScores old = NoGrad.call(() -> tokenScores(policy, promptTokens, continuations, valueHead != null));
        float[][] oldLogProbs = old.logProbs();
        float[][] oldValues = old.values();
        float[][] referenceLogProbs = NoGrad.call(() -> tokenScores(reference, promptTokens, continuations, false))
                .logProbs();

        double kl = 0;
        for (int a = 0; a < count; a++) {
            for (int t = 0; t < oldLogProbs[a].length; t++) {
                kl += oldLogProbs[a][t] - referenceLogProbs[a][t];
            }
        }
        Advantages advantages = advantages(answers, scores, oldLogProbs, referenceLogProbs, oldValues);
        UpdateTotals totals = optimise(answers, oldLogProbs, referenceLogProbs, oldValues, advantages, random);

        Map<String, double[]> byTask = new LinkedHashMap<>();
        double rewardSum = 0;
        long answerTokens = 0;
        long tokens = 0;
        for (int a = 0; a < count; a++) {
            double total = scores.get(a).total();
            rewardSum += total;
            double[] sum = byTask.computeIfAbsent(prompts.get(answers.get(a).prompt()).task().code(), k -> new double[2]);
            sum[0] += total;
            sum[1]++;
            answerTokens += answers.get(a).tokens().length;
            tokens += answers.get(a).tokens().length + answers.get(a).promptTokens().length;
        }
        Map<String, Double> rewardByTask = new LinkedHashMap<>();
        byTask.forEach((task, sum) -> rewardByTask.put(task, sum[0] / sum[1]));
        return new Report(rewardSum / count, rewardByTask, kl / count, totals.mean(totals.entropy),
                totals.mean(totals.clipFraction), totals.mean(totals.approxKl), totals.mean(totals.policyLoss),
                totals.mean(totals.valueLoss), totals.updates, totals.skipped, (double) answerTokens / count, tokens);
    }

    /** Greedy answers to {@code prompts} and their rewards, with gradients off. */
    List<Reward.Score> greedyScores(List<RlPrompt> prompts) {
        List<Answer> answers = new ArrayList<>(prompts.size());
        for (int from = 0; from < prompts.size(); from += params.miniBatch()) {
            List<RlPrompt> batch = prompts.subList(from, Math.min(prompts.size(), from + params.miniBatch()));
            int offset = from;
            generate(batch, null).forEach(answer -> answers.add(new Answer(answer.prompt() + offset, true,
                    answer.promptTokens(), answer.tokens(), answer.text())));
        }
        return score(prompts, answers);
    }

    /** Per prompt the greedy answer (when asked for) and the sampled ones, a prompt's samples side by side. */
    private List<Answer> rollout(List<RlPrompt> prompts, Random random) {
        List<Answer> answers = new ArrayList<>(prompts.size() * params.answersPerPrompt());
        if (params.greedy()) {
            answers.addAll(generate(prompts, null));
        }
        if (params.samples() > 0) {
            List<RlPrompt> repeated = new ArrayList<>(prompts.size() * params.samples());
            for (RlPrompt prompt : prompts) {
                repeated.addAll(Collections.nCopies(params.samples(), prompt));
            }
            Sampler sampler = Sampler.random(params.temperature(), params.topK(), 1.0, random);
            for (Answer answer : generate(repeated, sampler)) {
                answers.add(new Answer(answer.prompt() / params.samples(), false, answer.promptTokens(),
                        answer.tokens(), answer.text()));
            }
        }
        return answers;
    }

    /** One batched generation; a null sampler decodes greedily. */
    private List<Answer> generate(List<RlPrompt> prompts, Sampler sampler) {
        List<int[]> promptTokens = prompts.stream().map(prompt -> codec.prompt(prompt.prompt())).toList();
        int longest = promptTokens.stream().mapToInt(tokens -> tokens.length).max().orElseThrow();
        int budget = Math.min(maxNewTokens, policy.config().maxPositionEmbeddings() - longest);
        if (budget < 1) {
            throw new IllegalStateException("an RL prompt of " + longest + " tokens leaves no room for an answer in the"
                    + " model's context of " + policy.config().maxPositionEmbeddings() + " tokens");
        }
        GenerationSettings settings = codec.greedy(budget);
        if (sampler != null) {
            settings = settings.withSampler(sampler);
        }
        List<Generation> generations = generator.generate(promptTokens, settings);
        List<Answer> answers = new ArrayList<>(prompts.size());
        for (int p = 0; p < prompts.size(); p++) {
            int[] tokens = generations.get(p).tokens();
            answers.add(new Answer(p, sampler == null, promptTokens.get(p), tokens, codec.text(tokens)));
        }
        return answers;
    }

    private List<Reward.Score> score(List<RlPrompt> prompts, List<Answer> answers) {
        return reward.score(answers.stream().map(answer -> {
            RlPrompt prompt = prompts.get(answer.prompt());
            return new Reward.Answer(prompt.task(), prompt.parameters(), answer.text());
        }).toList());
    }

    private Advantages advantages(List<Answer> answers, List<Reward.Score> scores, float[][] oldLogProbs,
                                  float[][] referenceLogProbs, float[][] oldValues) {
        int count = answers.size();
        if (params.grpo()) {
            int[] lengths = answers.stream().mapToInt(answer -> answer.tokens().length).toArray();
            if (params.decoupled()) {
                // rank scores with penalties, ±C control scores, list score: the answer reward is 10 × their
                // sum at these weights
                double[][] parts = {scores.stream().mapToDouble(score -> score.itemTerm() - score.controlTerm()).toArray(),
                        scores.stream().mapToDouble(Reward.Score::controlTerm).toArray(),
                        scores.stream().mapToDouble(Reward.Score::listScore).toArray()};
                return Advantages.decoupled(parts, new double[] {Reward.ALPHA, Reward.ALPHA, 1 - Reward.ALPHA},
                        params.samples(), lengths);
            }
            double[] totals = scores.stream().mapToDouble(Reward.Score::total).toArray();
            return Advantages.grouped(totals, params.samples(), lengths);
        }
        float[][] rewards = new float[count][];
        for (int a = 0; a < count; a++) {
            rewards[a] = Reward.tokenRewards(scores.get(a), answers.get(a).tokens(), codec::text, params.fineGrained());
            for (int t = 0; t < rewards[a].length; t++) {
                rewards[a][t] -= (float) (params.klCoef() * (oldLogProbs[a][t] - referenceLogProbs[a][t]));
            }
        }
        return Advantages.gae(rewards, oldValues, params.gamma(), params.lambda()).whitened();
    }

    /** Running sums of the update figures. */
    private static final class UpdateTotals {
        double entropy;
        double clipFraction;
        double approxKl;
        double policyLoss;
        double valueLoss;
        int updates;
        int skipped; // updates the optimizer skipped for a non-finite gradient

        double mean(double sum) {
            return updates == 0 ? Double.NaN : sum / updates;
        }
    }

    private UpdateTotals optimise(List<Answer> answers, float[][] oldLogProbs, float[][] referenceLogProbs,
                                  float[][] oldValues, Advantages advantages, Random random) {
        UpdateTotals totals = new UpdateTotals();
        List<Integer> order = new ArrayList<>(IntStream.range(0, answers.size()).boxed().toList());
        for (int epoch = 0; epoch < params.epochs(); epoch++) {
            Collections.shuffle(order, random);
            for (int from = 0; from < order.size(); from += params.miniBatch()) {
                int[] batch = order.subList(from, Math.min(order.size(), from + params.miniBatch())).stream()
                        .mapToInt(Integer::intValue).toArray();
                double approxKl = update(batch, answers, oldLogProbs, referenceLogProbs, oldValues, advantages, totals);
                if (params.targetKl() > 0 && approxKl > params.targetKl()) {
                    return totals;
                }
            }
        }
        return totals;
    }

    /** One optimizer step on a mini-batch of answers; returns its approximate KL to the rollout policy. */
    private double update(int[] batch, List<Answer> answers, float[][] oldLogProbs, float[][] referenceLogProbs,
                          float[][] oldValues, Advantages advantages, UpdateTotals totals) {
        List<int[]> prompts = new ArrayList<>(batch.length);
        List<int[]> continuations = new ArrayList<>(batch.length);
        for (int a : batch) {
            prompts.add(answers.get(a).promptTokens());
            continuations.add(answers.get(a).tokens());
        }
        int width = continuations.stream().mapToInt(tokens -> tokens.length).max().orElseThrow();
        float[] figures = new float[5];
        LanguageModelTrainer.Update update = trainer.update(scope -> {
            LlamaModel.ContinuationScores scores = policy.scoreContinuations(scope, prompts, continuations);
            NDArray mask = scores.mask();                                                      // (B, C)
            NDArray old = padded(scope, oldLogProbs, batch, width);
            NDArray advantage = padded(scope, advantages.advantages(), batch, width);
            PpoLoss.PolicyTerms policyTerms = PpoLoss.clippedPolicyLoss(scores.logProbs(), old, advantage, mask,
                    params.clip());
            NDArray entropy = PpoLoss.entropy(policy.logits(scores.hidden()), mask);
            NDArray loss = policyTerms.loss().sub(entropy.mul(params.entropyCoef().floatValue()));
            NDArray valueLoss = null;
            if (valueHead != null) {
                valueLoss = PpoLoss.clippedValueLoss(valueHead.values(scores.hidden()),
                        padded(scope, oldValues, batch, width), padded(scope, advantages.returns(), batch, width), mask,
                        params.valueClip());
                loss = loss.add(valueLoss.mul(params.valueCoef().floatValue()));
            } else if (params.klCoef() > 0) {
                NDArray kl = PpoLoss.referenceKl(scores.logProbs(), padded(scope, referenceLogProbs, batch, width), mask);
                loss = loss.add(kl.mul(params.klCoef().floatValue()));
            }
            figures[0] = policyTerms.loss().getFloat();
            figures[1] = valueLoss == null ? 0 : valueLoss.getFloat();
            figures[2] = entropy.getFloat();
            figures[3] = policyTerms.clipFraction().getFloat();
            figures[4] = policyTerms.approxKl().getFloat();
            return loss;
        });
        totals.policyLoss += figures[0];
        totals.valueLoss += figures[1];
        totals.entropy += figures[2];
        totals.clipFraction += figures[3];
        totals.approxKl += figures[4];
        totals.updates++;
        totals.skipped += update.skipped() ? 1 : 0;
        return figures[4];
    }

    /** Per answer token: its log-prob under a model and, for the policy under PPO, the value head's value. */
    private record TokenScores(float[][] logProbs, float[][] values) {
    }

    /** Log-probs (and values) of each continuation token under {@code model}, scored in mini-batches. */
    private TokenScores tokenScores(LlamaModel model, List<int[]> prompts, List<int[]> continuations, boolean values) {
        float[][] logProbs = new float[prompts.size()][];
        float[][] valueRows = values ? new float[prompts.size()][] : null;
        for (int from = 0; from < prompts.size(); from += params.miniBatch()) {
            int to = Math.min(prompts.size(), from + params.miniBatch());
            try (NDManager scope = root.newSubManager()) {
                LlamaModel.ContinuationScores scores = model.scoreContinuations(scope, prompts.subList(from, to),
                        continuations.subList(from, to));
                float[] flat = scores.logProbs().toFloatArray();                               // (B·C)
                float[] flatValues = values ? valueHead.values(scores.hidden()).toFloatArray() : null;
                int width = (int) scores.logProbs().getShape().get(1);
                for (int a = from; a < to; a++) {
                    int start = (a - from) * width;
                    int length = continuations.get(a).length;
                    logProbs[a] = Arrays.copyOfRange(flat, start, start + length);
                    if (values) {
                        valueRows[a] = Arrays.copyOfRange(flatValues, start, start + length);
                    }
                }
            }
        }
        return new TokenScores(logProbs, valueRows);
    }

    /** The rows {@code batch} of ragged {@code rows} as a (B, width) array, zero beyond each row's end. */
    private static NDArray padded(NDManager scope, float[][] rows, int[] batch, int width) {
        float[] flat = new float[batch.length * width];
        for (int b = 0; b < batch.length; b++) {
            System.arraycopy(rows[batch[b]], 0, flat, b * width, rows[batch[b]].length);
        }
        return scope.create(flat, new Shape(batch.length, width));
    }
}
