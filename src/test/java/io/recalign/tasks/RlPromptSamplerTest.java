package io.recalign.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.teacher.CategoryConstraint;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class RlPromptSamplerTest {

    @Property(tries = 30)
    void promptsFollowTheRlTaskRules(@ForAll long snapshotSeed, @ForAll long seed) {
        CatalogSnapshot snapshot = RandomSnapshots.generate(snapshotSeed);
        FakeTeacher teacher = new FakeTeacher(snapshot, snapshotSeed);
        List<RlPrompt> prompts = new RlPromptSampler(snapshot, teacher).sample(60, seed);
        if (snapshot.users().stream().anyMatch(u -> u.training().length >= 2)) {
            assertThat(prompts).hasSize(60);
        }
        LabelRules rules = new LabelRules(snapshot, teacher);
        for (RlPrompt prompt : prompts) {
            ExampleParameters p = prompt.parameters();
            String description = prompt.task().code() + " " + p;
            assertThat(RlPromptSampler.TASKS).contains(prompt.task());
            rules.checkMoment(prompt.task(), Split.TRAIN, p, description);
            String instruction = PromptRendererTest.checkFrame(prompt.prompt(), prompt.task());
            assertThat(p.count()).as(description).isBetween(6, 10);
            assertThat(p.label()).isEmpty();
            assertThat(instruction).contains(p.count() + " items");
            int c = p.category();
            int[] history = LabelRules.ints(p.history());
            switch (prompt.task()) {
                case SEQ_REC, ITEM_COUNT -> assertThat(c).isEqualTo(-1);
                case CONTROL_IN -> {
                    assertThat(p.constraint().mode()).isEqualTo(CategoryConstraint.Mode.IN);
                    assertThat(availableIn(rules, c, p.history())).isGreaterThanOrEqualTo(p.count());
                }
                case CONTROL_OUT -> {
                    assertThat(p.constraint().mode()).isEqualTo(CategoryConstraint.Mode.NOT_IN);
                    assertThat(rules.categories(p.target())).doesNotContain(c);
                    assertThat(rules.mostFrequentOtherCategories(history, p.target())).contains(c);
                }
                case RATE_AT_MOST, RATE_AT_LEAST, RATE_ABOUT -> {
                    assertThat(p.rateK()).as(description).isBetween(1, p.count() - 1);
                    assertThat(instruction).contains("'" + rules.name(c) + "'").contains("of the " + p.count());
                    // the rule binds: at most on a category the teacher's list is full of, the others on the target's
                    assertThat(prompt.task() == TaskFamily.RATE_AT_MOST
                            ? rules.mostFrequentOtherCategories(history, p.target())
                            : rules.categories(p.target())).as(description).contains(c);
                }
                default -> throw new AssertionError("not an RL task: " + prompt.task());
            }
        }
    }

    @Test
    void samplesEveryRlTaskDeterministically() {
        CatalogSnapshot snapshot = RandomSnapshots.generate(77);
        List<RlPrompt> first = new RlPromptSampler(snapshot, new FakeTeacher(snapshot, 1)).sample(300, 4);
        List<RlPrompt> second = new RlPromptSampler(snapshot, new FakeTeacher(snapshot, 1)).sample(300, 4);
        assertThat(second).isEqualTo(first);
        Set<TaskFamily> tasks = first.stream().map(RlPrompt::task).collect(Collectors.toSet());
        assertThat(tasks).containsExactlyInAnyOrderElementsOf(RlPromptSampler.TASKS);
        assertThat(new RlPromptSampler(snapshot, new FakeTeacher(snapshot, 1)).sample(300, 5)).isNotEqualTo(first);
    }

    private static long availableIn(LabelRules rules, int c, List<Integer> history) {
        return IntStream.range(0, rules.items()).filter(i -> rules.in(i, c) && !history.contains(i)).count();
    }
}
