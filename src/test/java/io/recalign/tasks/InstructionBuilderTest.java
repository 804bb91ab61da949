package io.recalign.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.teacher.TopKQuery;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class InstructionBuilderTest {

    private static final InstructionPlan PLAN = InstructionPlan.uniform(30, 8, 8);

    @Property(tries = 40)
    void everyExampleObeysItsTasksLabelRule(@ForAll long snapshotSeed, @ForAll long buildSeed) {
        CatalogSnapshot snapshot = RandomSnapshots.generate(snapshotSeed);
        FakeTeacher teacher = new FakeTeacher(snapshot, snapshotSeed);
        List<LabelledExample> examples = new InstructionBuilder(snapshot, teacher).build(PLAN, buildSeed);
        LabelRules rules = new LabelRules(snapshot, teacher);
        examples.forEach(rules::check);

        Map<String, Long> counts = examples.stream()
                .collect(Collectors.groupingBy(e -> e.split().code() + "/" + e.task().code(), Collectors.counting()));
        counts.forEach((key, count) -> assertThat(count).as(key).isLessThanOrEqualTo(key.startsWith("train") ? 30 : 8));
        boolean trainable = snapshot.users().stream().anyMatch(u -> u.training().length >= 2);
        if (trainable) {
            assertThat(counts).containsEntry("train/seqrec", 30L).containsEntry("train/item-count", 30L);
        }
        long usersForHeldOut = Math.min(8, snapshot.users().size());
        assertThat(counts).containsEntry("valid/seqrec", usersForHeldOut).containsEntry("test/seqrec", usersForHeldOut);
    }

    @Test
    void everyTaskAndSplitIsProduced() {
        CatalogSnapshot snapshot = RandomSnapshots.generate(11);
        FakeTeacher teacher = new FakeTeacher(snapshot, 3);
        List<LabelledExample> examples = new InstructionBuilder(snapshot, teacher).build(PLAN, 5);
        Map<Split, Map<TaskFamily, Long>> counts = new EnumMap<>(Split.class);
        examples.forEach(e -> counts.computeIfAbsent(e.split(), s -> new EnumMap<>(TaskFamily.class))
                .merge(e.task(), 1L, Long::sum));
        for (Split split : Split.values()) {
            assertThat(counts.get(split).keySet()).as(split.code()).containsExactlyInAnyOrder(TaskFamily.values());
        }
        examples.forEach(new LabelRules(snapshot, teacher)::check);
    }

    @Property(tries = 10)
    void theSameSeedGivesTheSameExamples(@ForAll long snapshotSeed, @ForAll long buildSeed) {
        CatalogSnapshot snapshot = RandomSnapshots.generate(snapshotSeed);
        List<LabelledExample> first = new InstructionBuilder(snapshot, new FakeTeacher(snapshot, 1)).build(PLAN, buildSeed);
        List<LabelledExample> second = new InstructionBuilder(snapshot, new FakeTeacher(snapshot, 1)).build(PLAN, buildSeed);
        assertThat(second).isEqualTo(first);
        List<LabelledExample> other = new InstructionBuilder(snapshot, new FakeTeacher(snapshot, 1)).build(PLAN, buildSeed + 1);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void changingOneTasksCountLeavesTheOtherTasksAlone() {
        CatalogSnapshot snapshot = RandomSnapshots.generate(21);
        Map<TaskFamily, Integer> fewer = new HashMap<>(PLAN.train());
        fewer.put(TaskFamily.SEQ_REC, 3);
        InstructionPlan changed = new InstructionPlan(fewer, PLAN.valid(), PLAN.test());
        List<LabelledExample> before = new InstructionBuilder(snapshot, new FakeTeacher(snapshot, 1)).build(PLAN, 9);
        List<LabelledExample> after = new InstructionBuilder(snapshot, new FakeTeacher(snapshot, 1)).build(changed, 9);
        assertThat(after.stream().filter(e -> e.task() != TaskFamily.SEQ_REC || e.split() != Split.TRAIN).toList())
                .isEqualTo(before.stream().filter(e -> e.task() != TaskFamily.SEQ_REC || e.split() != Split.TRAIN).toList());
        assertThat(after.stream().filter(e -> e.task() == TaskFamily.SEQ_REC && e.split() == Split.TRAIN)).hasSize(3);
    }

    @Test
    void teacherQueriesGoInBatches() {
        CatalogSnapshot snapshot = RandomSnapshots.generate(31);
        FakeTeacher teacher = new FakeTeacher(snapshot, 1);
        InstructionPlan plan = new InstructionPlan(Map.of(TaskFamily.SEQ_REC, 600, TaskFamily.CONTROL_OUT, 300), null, null);
        List<LabelledExample> examples = new InstructionBuilder(snapshot, teacher).build(plan, 1);
        assertThat(examples).hasSize(900);
        // SeqRec: 3 chunks of at most 256, one call each; -C: probe and label calls per chunk, a few chunks
        assertThat(teacher.topKCalls()).isBetween(5, 12);
    }

    @Test
    void streamsExamplesInSplitThenTaskOrder() {
        CatalogSnapshot snapshot = RandomSnapshots.generate(41);
        List<LabelledExample> streamed = new ArrayList<>();
        new InstructionBuilder(snapshot, new FakeTeacher(snapshot, 1)).build(PLAN, 2, streamed::add);
        for (int i = 1; i < streamed.size(); i++) {
            LabelledExample previous = streamed.get(i - 1);
            LabelledExample current = streamed.get(i);
            int order = Integer.compare(previous.split().ordinal(), current.split().ordinal());
            assertThat(order == 0 ? Integer.compare(previous.task().ordinal(), current.task().ordinal()) : order)
                    .isLessThanOrEqualTo(0);
        }
    }

    @Test
    void aTeacherBreakingItsContractStopsTheBuild() {
        CatalogSnapshot snapshot = RandomSnapshots.generate(51);
        FakeTeacher honest = new FakeTeacher(snapshot, 1);
        io.recalign.teacher.Teacher leaky = new io.recalign.teacher.Teacher() {
            @Override
            public String dataset() {
                return snapshot.dataset();
            }

            @Override
            public List<int[]> topK(List<TopKQuery> queries) {
                List<int[]> answers = honest.topK(queries);
                // put a history item first
                return java.util.stream.IntStream.range(0, answers.size()).mapToObj(i -> {
                    int[] answer = answers.get(i).clone();
                    answer[0] = queries.get(i).history()[0];
                    return answer;
                }).toList();
            }

            @Override
            public List<int[]> rank(List<RankQuery> queries) {
                return honest.rank(queries);
            }
        };
        InstructionPlan plan = new InstructionPlan(Map.of(TaskFamily.ITEM_COUNT, 5), null, null);
        assertThatThrownBy(() -> new InstructionBuilder(snapshot, leaky).build(plan, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("masked");
    }

    @Test
    void refusesATeacherOfAnotherDataset() {
        CatalogSnapshot snapshot = RandomSnapshots.generate(61);
        CatalogSnapshot other = RandomSnapshots.generate(62);
        assertThatThrownBy(() -> new InstructionBuilder(snapshot, new FakeTeacher(other, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(other.dataset());
        assertThatThrownBy(() -> InstructionPlan.uniform(-1, 0, 0)).hasMessageContaining("non-negative");
    }
}
