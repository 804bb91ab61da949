package io.recalign.evaluation;

import io.recalign.alignment.InstructionCodec;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.Generation;
import io.recalign.llm.Generator;
import io.recalign.llm.LlamaConfig;
import io.recalign.llm.LlamaModel;
import io.recalign.llm.TextTokenizer;
import io.recalign.tasks.AnswerFormat;
import io.recalign.tasks.GuidedAnswer;
import io.recalign.tasks.ListFormat;
import io.recalign.tasks.Selection;
import io.recalign.tasks.ShareRule;
import io.recalign.tasks.TitleTrie;
import io.recalign.tasks.UnsatisfiableRequestException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * A language model answering test prompts with greedy decoding, a batch of prompts per generation.
 * Prompts are encoded by the {@link InstructionCodec}, as in training and serving.
 *
 * <p>Free decoding stops at the end-of-sequence token or after enough tokens for two more lines than
 * asked for, so that an over-long list is still seen; the answer is the decoded text. Guided decoding
 * constrains each sequence with a {@link GuidedAnswer}, as serving does: exactly N distinct titles from
 * the catalog minus the user's test history, for +C only items in C, for -C only items outside C, for a
 * share task the share rule with its k; the answer is the list of the titles it chose. A case whose
 * guided constraints no list of titles the tokenizer can write meets gets no answer (null).
 */
final class ModelAnswerer implements Answerer {

    /** Lines allowed beyond N, so that CorrectCount can see lists that run on. */
    static final int EXTRA_LINES = 2;

    private final LlamaModel model;
    private final InstructionCodec codec;
    private final TextTokenizer tokenizer;
    private final CatalogSnapshot snapshot;
    private final Decoding decoding;
    private final int batchSize;
    private final Generator generator;
    /** Guided decoding's list format and title tree; null for free decoding. */
    private final ListFormat format;
    private final TitleTrie trie;
    private int tokensPerLine = -1;

    ModelAnswerer(LlamaModel model, TextTokenizer tokenizer, CatalogSnapshot snapshot, Decoding decoding, int batchSize) {
        if (decoding != Decoding.FREE && decoding != Decoding.GUIDED) {
            throw new IllegalArgumentException("a language model decodes 'free' or 'guided', not " + decoding.label());
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, was " + batchSize);
        }
        this.model = model;
        this.codec = new InstructionCodec(tokenizer, model.config());
        this.tokenizer = tokenizer;
        this.snapshot = snapshot;
        this.decoding = decoding;
        this.batchSize = batchSize;
        this.generator = new Generator(model);
        this.format = decoding == Decoding.GUIDED
                ? new ListFormat(tokenizer, model.config().eosTokenIds().get(0), TestTasks.ITEM_COUNT_MAX) : null;
        this.trie = format == null ? null : TitleTrie.build(snapshot, format);
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public List<String> answer(List<TestCase> cases) {
        return decoding == Decoding.GUIDED ? guided(cases) : free(cases);
    }

    private List<String> free(List<TestCase> cases) {
        List<int[]> prompts = cases.stream().map(testCase -> codec.prompt(testCase.prompt())).toList();
        int mostItems = cases.stream().mapToInt(TestCase::count).max().orElse(0);
        int budget = Math.min(room(prompts), (mostItems + EXTRA_LINES) * tokensPerLine() + 1);
        List<Generation> generations = generator.generate(prompts, codec.greedy(budget));
        List<String> answers = new ArrayList<>(generations.size());
        for (Generation generation : generations) {
            answers.add(codec.text(generation.tokens()));
        }
        return answers;
    }

    private List<String> guided(List<TestCase> cases) {
        String[] answers = new String[cases.size()];
        List<Integer> members = new ArrayList<>();
        List<GuidedAnswer> constraints = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        int budget = 1;
        for (int i = 0; i < cases.size(); i++) {
            GuidedAnswer constraint;
            try {
                constraint = constraint(cases.get(i));
            } catch (UnsatisfiableRequestException e) {
                continue; // left out, like a case the test tasks cannot build
            }
            members.add(i);
            constraints.add(constraint);
            prompts.add(codec.prompt(cases.get(i).prompt()));
            budget = Math.max(budget, constraint.budget());
        }
        if (members.isEmpty()) {
            return Arrays.asList(answers);
        }
        List<Generation> generations = generator.generate(prompts, codec.greedy(Math.min(room(prompts), budget))
                .withLogitsProcessor((sequence, generated, logits) -> constraints.get(sequence).constrain(generated, logits)));
        for (int m = 0; m < members.size(); m++) {
            GuidedAnswer guided = constraints.get(m);
            guided.complete(generations.get(m).tokens()); // reads the last token; a list the context cut short keeps its items
            answers[members.get(m)] = AnswerFormat.format(
                    guided.items().stream().map(item -> snapshot.items().get(item).title()).toList());
        }
        return Arrays.asList(answers);
    }

    /** The guided constraint of a test case: its N, its allowed items and its share rule. */
    private GuidedAnswer constraint(TestCase testCase) {
        int[] none = new int[0];
        int[] category = {testCase.category()};
        ShareRule share = null;
        BitSet allowed = switch (testCase.task()) {
            case SEQ_REC, ITEM_COUNT -> Selection.allowedItems(snapshot, testCase.history(), none, none, null);
            case CONTROL_IN -> Selection.allowedItems(snapshot, testCase.history(), category, none, null);
            case CONTROL_OUT -> Selection.allowedItems(snapshot, testCase.history(), none, category, null);
            case RATE_AT_MOST, RATE_AT_LEAST, RATE_ABOUT -> {
                share = new ShareRule(testCase.category(), testCase.task().rateKind(), testCase.rateK(), testCase.count());
                yield Selection.allowedItems(snapshot, testCase.history(), none, none, null);
            }
            default -> throw new IllegalArgumentException("no test task " + testCase.task().code());
        };
        return new GuidedAnswer(trie, format, testCase.count(), trie.inTreeOrder(allowed), share);
    }

    /** Tokens left for the answer after the longest prompt. */
    private int room(List<int[]> prompts) {
        LlamaConfig config = model.config();
        int longestPrompt = prompts.stream().mapToInt(prompt -> prompt.length).max().orElse(0);
        int room = config.maxPositionEmbeddings() - longestPrompt;
        if (room < 1) {
            throw new IllegalArgumentException("a test prompt of " + longestPrompt + " tokens leaves no room in the"
                    + " model's context of " + config.maxPositionEmbeddings() + " tokens");
        }
        return room;
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
