package io.recalign.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recalign.tasks.TaskInput.SharePhrasing;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PromptRendererTest {

    private static final List<String> HISTORY = List.of("Heat (1995)", "Schindler's List (1993)", "Up (2009)");
    private static final List<String> CANDIDATES = List.of("Alien (1979)", "Fargo (1996)", "Babe (1995)");
    private static final List<String> ANSWER = List.of("Alien (1979)", "Fargo (1996)");

    /** One input of every family, rendered with every template and phrasing. */
    private static final Map<TaskFamily, TaskInput> INPUTS = inputs();

    private static Map<TaskFamily, TaskInput> inputs() {
        Map<TaskFamily, TaskInput> inputs = new EnumMap<>(TaskFamily.class);
        inputs.put(TaskFamily.SEQ_REC, new TaskInput.SeqRec(HISTORY, 2));
        inputs.put(TaskFamily.SEQ_REC_CANDIDATES, new TaskInput.SeqRecCandidates(HISTORY, 2, CANDIDATES));
        inputs.put(TaskFamily.CONTROL_IN, new TaskInput.PersonalControl(HISTORY, 2, Intention.like("Comedy")));
        inputs.put(TaskFamily.CONTROL_OUT, new TaskInput.PersonalControl(HISTORY, 2, Intention.avoid("Horror")));
        inputs.put(TaskFamily.CONTROL_NO_HISTORY, new TaskInput.ControlRec(2, Intention.like("Comedy")));
        inputs.put(TaskFamily.CATEGORY_QUERY, new TaskInput.CategoryQuery("Heat (1995)"));
        inputs.put(TaskFamily.RATE_AT_MOST, new TaskInput.CategoryRate(HISTORY, 10, "Drama", RateKind.AT_MOST, 2,
                SharePhrasing.PERCENT));
        inputs.put(TaskFamily.RATE_AT_LEAST, new TaskInput.CategoryRate(HISTORY, 10, "Drama", RateKind.AT_LEAST, 3,
                SharePhrasing.COUNT));
        inputs.put(TaskFamily.RATE_ABOUT, new TaskInput.CategoryRate(HISTORY, 10, "Drama", RateKind.ABOUT, 3,
                SharePhrasing.PERCENT));
        inputs.put(TaskFamily.ITEM_COUNT, new TaskInput.ItemCount(HISTORY, 12));
        return inputs;
    }

    @Test
    void everyFamilyHasAnInputHere() {
        assertThat(INPUTS.keySet()).containsExactlyInAnyOrder(TaskFamily.values());
    }

    @Test
    void everyFamilyHasTwoParaphrasesBesidesTheTestTemplate() {
        for (TaskFamily family : TaskFamily.values()) {
            assertThat(PromptRenderer.templateCount(family)).as(family.code()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void twelveDistinctIntentionPhrasings() {
        Set<String> phrasings = new HashSet<>(Templates.POSITIVE_INTENTIONS);
        phrasings.addAll(Templates.NEGATIVE_INTENTIONS);
        assertThat(Templates.POSITIVE_INTENTIONS).hasSize(6);
        assertThat(Templates.NEGATIVE_INTENTIONS).hasSize(6);
        assertThat(phrasings).hasSize(12).allMatch(p -> p.contains("'{category}'"));
    }

    @Test
    void everyWordingOfEveryFamilyKeepsTheFrameAndItsContent() {
        for (TaskFamily family : TaskFamily.values()) {
            TaskInput input = INPUTS.get(family);
            Set<String> instructions = new HashSet<>();
            for (int template = 0; template < PromptRenderer.templateCount(family); template++) {
                for (int phrasing = 0; phrasing < PromptRenderer.phrasingCount(family); phrasing++) {
                    String prompt = PromptRenderer.render(input, new Wording(template, phrasing));
                    String instruction = checkFrame(prompt, family);
                    assertThat(instruction).as("no gap left by an empty slot").doesNotContain("  ").doesNotContain("{");
                    instructions.add(instruction);
                    checkContent(input, instruction);
                }
            }
            assertThat(instructions).as(family.code())
                    .hasSize(PromptRenderer.templateCount(family) * PromptRenderer.phrasingCount(family));
        }
    }

    @Test
    void promptPlusAnswerRoundTripsForEveryFamily() {
        for (TaskFamily family : TaskFamily.values()) {
            String prompt = PromptRenderer.render(INPUTS.get(family), new SplittableRandom(family.ordinal()));
            if (family.answersWithList()) {
                String transcript = prompt + AnswerFormat.format(ANSWER);
                assertThat(AnswerFormat.parse(PromptFrame.answerOf(transcript))).as(family.code()).isEqualTo(ANSWER);
            } else {
                String transcript = prompt + AnswerFormat.categoryAnswer("Heat (1995)", "Action");
                assertThat(AnswerFormat.parseCategoryAnswer(PromptFrame.answerOf(transcript))).contains("Action");
            }
        }
    }

    @Test
    void fixedWordingIsTheTestTemplate() {
        String prompt = PromptRenderer.render(new TaskInput.SeqRec(HISTORY, 10));
        assertThat(prompt).isEqualTo("""
                You are an expert recommender engine.
                Task: sequential recommendation.
                Instruction: The user has interacted with the following items in order: 'Heat (1995)' \u2192 \
                'Schindler's List (1993)' \u2192 'Up (2009)'. Recommend the next 10 items the user is most likely \
                to interact with.
                Answer:
                """);
    }

    @Test
    void historyShowsTheLastTenTitles() {
        List<String> history = IntStream.rangeClosed(1, 15).mapToObj(i -> "Film " + i).toList();
        String prompt = PromptRenderer.render(new TaskInput.SeqRec(history, 5));
        assertThat(prompt).contains("'Film 6' \u2192 'Film 7'").contains("'Film 15'.").doesNotContain("'Film 5'");
    }

    @Test
    void randomWordingReachesEveryTemplateAndPhrasing() {
        SplittableRandom rng = new SplittableRandom(7);
        Set<Wording> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            seen.add(Wording.random(TaskFamily.CONTROL_OUT, rng));
        }
        assertThat(seen).hasSize(PromptRenderer.templateCount(TaskFamily.CONTROL_OUT)
                * PromptRenderer.phrasingCount(TaskFamily.CONTROL_OUT));
    }

    @Test
    void unknownWordingIsRefused() {
        assertThatThrownBy(() -> PromptRenderer.render(INPUTS.get(TaskFamily.SEQ_REC), new Wording(3, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seqrec");
        assertThatThrownBy(() -> PromptRenderer.render(INPUTS.get(TaskFamily.SEQ_REC), new Wording(0, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void titlesAreWrittenVerbatimEvenWithBracesAndNeverBreakALine() {
        List<String> odd = List.of("Odd {count} {history} Title", "Two\nLines");
        String prompt = PromptRenderer.render(new TaskInput.SeqRec(odd, 3));
        assertThat(prompt.split("\n")).hasSize(4);
        assertThat(prompt).contains("'Odd {count} {history} Title' \u2192 'Two Lines'");
    }

    @Test
    void badInputsAreRefusedWithClearMessages() {
        assertThatThrownBy(() -> new TaskInput.SeqRec(List.of(), 3)).hasMessageContaining("history");
        assertThatThrownBy(() -> new TaskInput.SeqRec(HISTORY, 0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new TaskInput.SeqRecCandidates(HISTORY, 4, CANDIDATES)).hasMessageContaining("3 candidates");
        assertThatThrownBy(() -> new TaskInput.CategoryRate(HISTORY, 10, "Drama", RateKind.ABOUT, 11,
                SharePhrasing.COUNT)).hasMessageContaining("0..10");
        assertThatThrownBy(() -> Intention.like(" ")).hasMessageContaining("category");
    }

    // --- structured serving requests ---

    @Test
    void aRequestWithOneControlRendersLikeThatTasksTestTemplate() {
        assertThat(PromptRenderer.render(ControlledRequest.of(HISTORY, 7)))
                .isEqualTo(PromptRenderer.render(new TaskInput.SeqRec(HISTORY, 7)));
        assertThat(PromptRenderer.render(ControlledRequest.of(HISTORY, 13)))
                .isEqualTo(PromptRenderer.render(new TaskInput.ItemCount(HISTORY, 13)));
        assertThat(PromptRenderer.render(request(HISTORY, 5, List.of("Comedy"), null, null, null)))
                .isEqualTo(PromptRenderer.render(new TaskInput.PersonalControl(HISTORY, 5, Intention.like("Comedy"))));
        assertThat(PromptRenderer.render(request(HISTORY, 5, null, List.of("Horror"), null, null)))
                .isEqualTo(PromptRenderer.render(new TaskInput.PersonalControl(HISTORY, 5, Intention.avoid("Horror"))));
        assertThat(PromptRenderer.render(request(List.of(), 4, List.of("Comedy"), null, null, null)))
                .isEqualTo(PromptRenderer.render(new TaskInput.ControlRec(4, Intention.like("Comedy"))));
        assertThat(PromptRenderer.render(new ControlledRequest(HISTORY, 2, null, null, null, CANDIDATES, null)))
                .isEqualTo(PromptRenderer.render(new TaskInput.SeqRecCandidates(HISTORY, 2, CANDIDATES)));
        for (RateKind kind : RateKind.values()) {
            ControlledRequest.CategoryShare share = new ControlledRequest.CategoryShare("Drama", kind, 0.3);
            assertThat(PromptRenderer.render(request(HISTORY, 10, null, null, share, null))).as(kind.shortName())
                    .isEqualTo(PromptRenderer.render(new TaskInput.CategoryRate(HISTORY, 10, "Drama", kind, 3,
                            SharePhrasing.PERCENT)));
        }
    }

    @Test
    void everyFixedWordingPromptStartsWithItsFamilysOpening() {
        List<String> openings = PromptRenderer.fixedOpenings();
        assertThat(openings).doesNotHaveDuplicates();
        ControlledRequest.CategoryShare share = new ControlledRequest.CategoryShare("Comedy", RateKind.AT_LEAST, 0.4);
        List<String> prompts = new ArrayList<>(INPUTS.values().stream().map(PromptRenderer::render).toList());
        prompts.add(PromptRenderer.render(request(HISTORY, 5, List.of("Animation"), List.of("Horror"), share, "light")));
        for (String prompt : prompts) {
            assertThat(openings).as(prompt).anyMatch(prompt::startsWith);
        }
    }

    @Test
    void aRequestWithSeveralControlsNamesThemAll() {
        ControlledRequest.CategoryShare share = new ControlledRequest.CategoryShare("Comedy", RateKind.AT_LEAST, 0.4);
        String prompt = PromptRenderer.render(request(HISTORY, 5, List.of("Animation"), List.of("Horror"), share,
                "something light for a rainy evening"));
        String instruction = checkFrame(prompt, TaskFamily.RATE_AT_LEAST);
        assertThat(instruction)
                .contains("Please recommend some 'Animation' items.")
                .contains("Please exclude any 'Horror' item.")
                .contains("something light for a rainy evening")
                .contains("At least 40% of the 5 items should be 'Comedy' items.")
                .contains(PromptRenderer.historyText(HISTORY));
    }

    @Test
    void shareFractionsRoundTowardsWhatTheRuleAllows() {
        assertThat(RateKind.AT_MOST.countFor(0.33, 10)).isEqualTo(3);
        assertThat(RateKind.AT_LEAST.countFor(0.33, 10)).isEqualTo(4);
        assertThat(RateKind.ABOUT.countFor(0.33, 10)).isEqualTo(3);
        assertThat(RateKind.AT_LEAST.countFor(0.3, 10)).isEqualTo(3);
        assertThat(RateKind.AT_MOST.accepts(2, 2)).isTrue();
        assertThat(RateKind.AT_MOST.accepts(3, 2)).isFalse();
        assertThat(RateKind.ABOUT.accepts(4, 3)).isTrue();
        assertThat(RateKind.ABOUT.accepts(5, 3)).isFalse();
        assertThatThrownBy(() -> RateKind.ABOUT.countFor(1.5, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void candidatesWithoutHistoryAreRefused() {
        assertThatThrownBy(() -> new ControlledRequest(List.of(), 2, null, null, null, CANDIDATES, null))
                .hasMessageContaining("needs a history");
    }

    @Test
    void familyCodesRoundTrip() {
        for (TaskFamily family : TaskFamily.values()) {
            assertThat(TaskFamily.fromCode(family.code())).isEqualTo(family);
        }
        assertThatThrownBy(() -> TaskFamily.fromCode("seqrex")).hasMessageContaining("seqrec");
    }

    static ControlledRequest request(List<String> history, int count, List<String> include, List<String> exclude,
                                     ControlledRequest.CategoryShare share, String instruction) {
        return new ControlledRequest(history, count, include, exclude, share, null, instruction);
    }

    /** Checks the four frame lines and returns the instruction. */
    static String checkFrame(String prompt, TaskFamily family) {
        assertThat(prompt).endsWith("\n");
        String[] lines = prompt.split("\n", -1);
        assertThat(lines).hasSize(5);
        assertThat(lines[0]).isEqualTo(PromptFrame.SYSTEM_LINE);
        assertThat(lines[1]).isEqualTo("Task: " + family.description());
        assertThat(lines[2]).startsWith("Instruction: ");
        assertThat(lines[3]).isEqualTo(PromptFrame.ANSWER_MARKER);
        assertThat(lines[4]).isEmpty();
        String instruction = lines[2].substring("Instruction: ".length());
        assertThat(instruction).isEqualTo(instruction.strip()).doesNotContain("{intention}");
        return instruction;
    }

    private static void checkContent(TaskInput input, String instruction) {
        List<String> expected = new ArrayList<>();
        if (input instanceof TaskInput.SeqRec s) {
            expected.add(PromptRenderer.historyText(s.history()));
            expected.add(s.count() + " items");
        } else if (input instanceof TaskInput.SeqRecCandidates c) {
            expected.add(PromptRenderer.historyText(c.history()));
            expected.add("'Alien (1979)', 'Fargo (1996)', 'Babe (1995)'");
        } else if (input instanceof TaskInput.PersonalControl p) {
            expected.add(PromptRenderer.historyText(p.history()));
            expected.add("'" + p.intention().category() + "'");
        } else if (input instanceof TaskInput.ControlRec r) {
            expected.add("'" + r.intention().category() + "'");
            assertThat(instruction).doesNotContain("\u2192");
        } else if (input instanceof TaskInput.CategoryQuery q) {
            expected.add("'" + q.title() + "'");
        } else if (input instanceof TaskInput.CategoryRate r) {
            expected.add(PromptRenderer.historyText(r.history()));
            expected.add("'" + r.category() + "' items");
            expected.add(PromptRenderer.shareText(r.k(), r.count(), r.phrasing()));
            expected.add("of the " + r.count());
        } else if (input instanceof TaskInput.ItemCount c) {
            expected.add(PromptRenderer.historyText(c.history()));
            expected.add("exactly " + c.count() + " items");
        }
        assertThat(instruction).contains(expected);
    }
}
