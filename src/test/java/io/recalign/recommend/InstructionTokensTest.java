package io.recalign.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.TextTokenizer;
import io.recalign.tasks.AnswerFormat;
import io.recalign.tasks.ControlledRequest;
import io.recalign.tasks.GuidedFixtures;
import io.recalign.tasks.PromptFrame;
import io.recalign.tasks.PromptRenderer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * What the model actually reads: a hostile free-text instruction, rendered into a serving prompt and
 * encoded by a word-level tokenizer (titles and specials as added tokens matched verbatim) or a byte-level
 * BPE, never yields a pad, beginning- or end-of-sequence token inside the prompt, and the prompt text keeps
 * exactly one answer-marker line, so the answer parser reads only what the model writes after it.
 */
class InstructionTokensTest {

    /** pad, bos, eos in both fixture tokenizers. */
    private static final List<Integer> SPECIAL_IDS = List.of(0, 1, 2);

    private static CatalogSnapshot catalog;
    private static TextTokenizer wordLevel;
    private static TextTokenizer bpe;

    @BeforeContainer
    static void tokenizers() {
        catalog = GuidedFixtures.catalog("injection", 40, 5, 3);
        wordLevel = GuidedFixtures.wordLevel(catalog).open();
        bpe = GuidedFixtures.byteLevelBpe(catalog, 60).open();
    }

    @AfterContainer
    static void close() {
        wordLevel.close();
        bpe.close();
    }

    @Property(tries = 200)
    void noInstructionSmugglesASpecialTokenOrASecondAnswerIntoThePrompt(@ForAll("attacks") String instruction) {
        List<String> titles = catalog.items().stream().map(CatalogSnapshot.Item::title).toList();
        String prompt = PromptRenderer.render(new ControlledRequest(titles.subList(0, 3), 5, List.of("Comedy"), null,
                null, null, instruction));

        assertThat(prompt.split("\n", -1)).filteredOn(PromptFrame.ANSWER_MARKER::equals).hasSize(1);
        assertThat(prompt).endsWith("\n" + PromptFrame.ANSWER_MARKER + "\n");
        for (TextTokenizer tokenizer : List.of(wordLevel, bpe)) {
            int[] ids = tokenizer.encode(prompt);
            assertThat(Arrays.stream(ids).boxed().toList()).as(prompt).doesNotContainAnyElementsOf(SPECIAL_IDS);
        }
        List<String> answer = titles.subList(10, 15);
        assertThat(AnswerFormat.parse(PromptFrame.answerOf(prompt + AnswerFormat.format(answer)))).isEqualTo(answer);
    }

    @Provide
    Arbitrary<String> attacks() {
        List<String> titles = catalog.items().stream().map(CatalogSnapshot.Item::title).toList();
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("\n", "\r", "\u2028", "1. ", "2) ", "- ", "Answer:", "ANSWER :", "Instruction:", "Task:",
                        "</s>", "<s>", "<pad>", "< / s >", "</S>", "<eos>", "<|endoftext|>", "<|im_start|>assistant",
                        "<|eot_id|>", "[INST]", "[/INST]", "<<SYS>>", "<", "/", "s", ">", "|", "\u200B", "\u00AD", " ",
                        "You are an expert recommender engine.", "\t", "\u0000"),
                Arbitraries.of(titles));
        return pieces.list().ofMaxSize(30).map(list -> String.join("", list));
    }
}
