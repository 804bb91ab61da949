package io.recalign.alignment;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.Generation;
import io.recalign.llm.Generator;
import io.recalign.llm.LlamaModel;
import io.recalign.tasks.AnswerFormat;
import io.recalign.tasks.LabelledExample;
import io.recalign.tasks.TaskFamily;
import io.recalign.tasks.TitleIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation of an SFT model on the validation examples of its instruction set: the loss of the answer
 * tokens on a task-balanced sample, and Recall@10 of greedy SeqRec answers (generated in batches,
 * parsed with {@link AnswerFormat} and grounded with {@link TitleIndex}, as evaluation does). The final
 * validation adds count and category control on the ItemCount and ±C examples.
 */
final class SftValidation {

    private static final int GENERATION_BATCH = 32;
    private static final int RECALL_AT = 10;
    private static final int CONTROL_EXAMPLES = 100;

    private final LlamaModel model;
    private final NDManager root;
    private final InstructionCodec codec;
    private final CatalogSnapshot snapshot;
    private final TitleIndex titles;
    private final int batchSize;
    private final List<EncodedExample> lossExamples;
    private final List<LabelledExample> recallExamples;
    private final Map<TaskFamily, List<LabelledExample>> controlExamples = new LinkedHashMap<>();

    SftValidation(LlamaModel model, NDManager root, InstructionCodec codec, CatalogSnapshot snapshot,
            List<LabelledExample> valid, int validExamples, int recallExamples, int batchSize, int maxLength) {
        this.model = model;
        this.root = root;
        this.codec = codec;
        this.snapshot = snapshot;
        this.titles = new TitleIndex(snapshot.items().stream().map(CatalogSnapshot.Item::title).toList());
        this.batchSize = batchSize;
        this.lossExamples = balanced(valid, validExamples).stream()
                .map(example -> EncodedExample.of(codec, example.prompt(), example.answer()))
                .filter(example -> example.length() <= maxLength)
                .sorted(Comparator.comparingInt(EncodedExample::length))
                .toList();
        this.recallExamples = valid.stream().filter(example -> example.task() == TaskFamily.SEQ_REC)
                .limit(recallExamples).toList();
        for (TaskFamily family : List.of(TaskFamily.ITEM_COUNT, TaskFamily.CONTROL_IN, TaskFamily.CONTROL_OUT)) {
            controlExamples.put(family, valid.stream().filter(example -> example.task() == family)
                    .limit(CONTROL_EXAMPLES).toList());
        }
        if (lossExamples.isEmpty() || this.recallExamples.isEmpty()) {
            throw new IllegalArgumentException("the instruction set needs validation examples, SeqRec among them");
        }
    }

    /** Validates the model as it is now; {@code last} adds the control figures. */
    SftEvaluation evaluate(int step, boolean last) {
        double loss = validationLoss();
        List<List<Integer>> answers = answers(recallExamples);
        int hits = 0;
        int missing = 0;
        int repeats = 0;
        for (int i = 0; i < recallExamples.size(); i++) {
            List<Integer> items = answers.get(i);
            hits += items.contains(recallExamples.get(i).parameters().target()) ? 1 : 0;
            List<Integer> found = items.stream().filter(item -> item >= 0).toList();
            missing += items.size() - found.size();
            repeats += found.size() - (int) found.stream().distinct().count();
        }
        Map<String, Double> extra = last ? controlFigures() : Map.of();
        int examples = recallExamples.size();
        return new SftEvaluation(step, loss, (double) hits / examples, (double) missing / examples,
                (double) repeats / examples, extra);
    }

    int recallExampleCount() {
        return recallExamples.size();
    }

    /** Shares of ItemCount lists with exactly N titles and of items in C in +C and -C lists. */
    private Map<String, Double> controlFigures() {
        Map<String, Double> figures = new LinkedHashMap<>();
        List<LabelledExample> counting = controlExamples.get(TaskFamily.ITEM_COUNT);
        if (!counting.isEmpty()) {
            List<String> texts = texts(counting);
            long exact = 0;
            for (int i = 0; i < counting.size(); i++) {
                exact += AnswerFormat.parse(texts.get(i)).size() == counting.get(i).parameters().count() ? 1 : 0;
            }
            figures.put("valid_item_count_correct", (double) exact / counting.size());
        }
        for (TaskFamily family : List.of(TaskFamily.CONTROL_IN, TaskFamily.CONTROL_OUT)) {
            List<LabelledExample> examples = controlExamples.get(family);
            if (examples.isEmpty()) {
                continue;
            }
            List<List<Integer>> answers = answers(examples);
            double share = 0;
            for (int i = 0; i < examples.size(); i++) {
                int category = examples.get(i).parameters().category();
                int count = examples.get(i).parameters().count();
                share += (double) answers.get(i).stream()
                        .filter(item -> item >= 0 && Arrays.stream(snapshot.items().get(item).categories())
                                .anyMatch(c -> c == category))
                        .count() / count;
            }
            figures.put(family == TaskFamily.CONTROL_IN ? "valid_control_in_share" : "valid_control_out_share",
                    share / examples.size());
        }
        return figures;
    }

    /** Mean cross-entropy per answer token, with gradients off. */
    private double validationLoss() {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            double sum = 0;
            long tokens = 0;
            for (int from = 0; from < lossExamples.size(); from += batchSize) {
                List<EncodedExample> batch = lossExamples.subList(from, Math.min(lossExamples.size(), from + batchSize));
                int answerTokens = batch.stream().mapToInt(EncodedExample::answerLength).sum();
                try (NDManager scope = root.newSubManager()) {
                    sum += (double) model.loss(scope, SftBatch.tokens(batch), SftBatch.masks(batch)).getFloat() * answerTokens;
                }
                tokens += answerTokens;
            }
            return sum / tokens;
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** The catalog items of each greedy answer, truncated to N (-1 for a title that matches nothing). */
    private List<List<Integer>> answers(List<LabelledExample> examples) {
        List<String> texts = texts(examples);
        List<List<Integer>> answers = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            List<String> parsed = AnswerFormat.parse(texts.get(i));
            int count = Math.min(parsed.size(), examples.get(i).task() == TaskFamily.SEQ_REC
                    ? RECALL_AT : examples.get(i).parameters().count());
            answers.add(Arrays.stream(titles.matchAll(parsed.subList(0, count))).boxed().toList());
        }
        return answers;
    }

    /** Greedy answers, in batches. */
    private List<String> texts(List<LabelledExample> examples) {
        Generator generator = new Generator(model);
        List<String> texts = new ArrayList<>(examples.size());
        int context = model.config().maxPositionEmbeddings();
        for (int from = 0; from < examples.size(); from += GENERATION_BATCH) {
            List<LabelledExample> batch = examples.subList(from, Math.min(examples.size(), from + GENERATION_BATCH));
            List<int[]> prompts = batch.stream().map(example -> codec.prompt(example.prompt())).toList();
            int longestPrompt = prompts.stream().mapToInt(prompt -> prompt.length).max().orElseThrow();
            int longestAnswer = batch.stream().mapToInt(example -> codec.answer(example.answer()).length).max().orElseThrow();
            int budget = answerBudget(context, longestPrompt, longestAnswer);
            if (budget < 1) {
                texts.addAll(batch.stream().map(example -> "").toList());
                continue;
            }
            for (Generation generation : generator.generate(prompts, codec.greedy(budget))) {
                texts.add(codec.text(generation.tokens()));
            }
        }
        return texts;
    }

    /** New tokens a greedy answer may take: the longest label's and a quarter more, within the context. */
    static int answerBudget(int context, int longestPrompt, int longestAnswer) {
        return Math.min(context - longestPrompt, longestAnswer + longestAnswer / 4 + 8);
    }

    /** Up to {@code limit} examples taken round-robin over the tasks, so every task counts. */
    static List<LabelledExample> balanced(List<LabelledExample> examples, int limit) {
        Map<TaskFamily, List<LabelledExample>> byTask = new LinkedHashMap<>();
        examples.forEach(example -> byTask.computeIfAbsent(example.task(), task -> new ArrayList<>()).add(example));
        List<LabelledExample> picked = new ArrayList<>(Math.min(limit, examples.size()));
        for (int round = 0; picked.size() < limit && picked.size() < examples.size(); round++) {
            for (List<LabelledExample> task : byTask.values()) {
                if (round < task.size() && picked.size() < limit) {
                    picked.add(task.get(round));
                }
            }
        }
        return picked;
    }
}
