package io.recalign.evaluation;

import io.recalign.alignment.InstructionCodec;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.Generation;
import io.recalign.llm.Generator;
import io.recalign.llm.LlamaConfig;
import io.recalign.llm.LlamaModel;
import io.recalign.llm.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A language model answering test prompts with free greedy decoding, a batch of prompts per
 * generation. Prompts are encoded and answers decoded by the {@link InstructionCodec}, as in training
 * and serving; generation stops at the end-of-sequence token or after enough tokens for two more lines
 * than asked for, so that an over-long list is still seen.
 */
final class ModelAnswerer implements Answerer {

    /** Lines allowed beyond N, so that CorrectCount can see lists that run on. */
    static final int EXTRA_LINES = 2;

    private final LlamaModel model;
    private final InstructionCodec codec;
    private final TextTokenizer tokenizer;
    private final CatalogSnapshot snapshot;
    private final int batchSize;
    private final Generator generator;
    private int tokensPerLine = -1;

    ModelAnswerer(LlamaModel model, TextTokenizer tokenizer, CatalogSnapshot snapshot, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, was " + batchSize);
        }
        this.model = model;
        this.codec = new InstructionCodec(tokenizer, model.config());
        this.tokenizer = tokenizer;
        this.snapshot = snapshot;
        this.batchSize = batchSize;
        this.generator = new Generator(model);
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public List<String> answer(List<TestCase> cases) {
        LlamaConfig config = model.config();
        List<int[]> prompts = new ArrayList<>(cases.size());
        int longestPrompt = 0;
        int mostItems = 0;
        for (TestCase testCase : cases) {
            int[] prompt = codec.prompt(testCase.prompt());
            prompts.add(prompt);
            longestPrompt = Math.max(longestPrompt, prompt.length);
            mostItems = Math.max(mostItems, testCase.count());
        }
        int room = config.maxPositionEmbeddings() - longestPrompt;
        if (room < 1) {
            throw new IllegalArgumentException("a test prompt of " + longestPrompt + " tokens leaves no room in the"
                    + " model's context of " + config.maxPositionEmbeddings() + " tokens");
        }
        int budget = Math.min(room, (mostItems + EXTRA_LINES) * tokensPerLine() + 1);
        List<Generation> generations = generator.generate(prompts, codec.greedy(budget));
        List<String> answers = new ArrayList<>(generations.size());
        for (Generation generation : generations) {
            answers.add(codec.text(generation.tokens()));
        }
        return answers;
    }

    /** Most tokens one answer line can take ("\n15. " and the longest title in tokens). */
    private int tokensPerLine() {
        if (tokensPerLine < 0) {
            int longest = 1;
            for (CatalogSnapshot.Item item : snapshot.items()) {
                longest = Math.max(longest, tokenizer.encode("\n" + TestTasks.ITEM_COUNT_MAX + ". " + item.title()).length);
            }
            tokensPerLine = longest;
        }
        return tokensPerLine;
    }
}
