package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DecodingBatchTest extends TorchTest {

    private static LlamaModel model;
    private static Generator generator;

    @BeforeAll
    static void createModel() {
        model = LlamaModel.create(TrainingTest.TINY, manager, 11);
        generator = new Generator(model);
    }

    @Test
    void sequencesThatJoinMidwayOrOutliveOthersDecodeAsTheyWouldAlone() {
        GenerationSettings twelve = GenerationSettings.greedy(12, List.of());
        GenerationSettings six = GenerationSettings.greedy(6, List.of());
        GenerationSettings four = GenerationSettings.greedy(4, List.of());
        int[] first = {1, 5, 6};
        int[] longer = {1, 30, 31, 32, 33, 34, 35};  // longer than the cache when it joins: the running row shifts
        int[] shorter = {1, 9};
        int[] late = {1, 36, 37, 38};               // joins after the first left: the cache drops unused slots
        List<DecodingBatch.Sequence> ended = new ArrayList<>();
        try (DecodingBatch batch = new DecodingBatch(model)) {
            DecodingBatch.Sequence a = batch.join(List.of(first), List.of(twelve)).get(0);
            ended.addAll(batch.step());
            ended.addAll(batch.step());
            List<DecodingBatch.Sequence> joiners = batch.join(List.of(longer, shorter), List.of(six, four));
            assertThat(batch.size()).isEqualTo(3);
            for (int step = 0; step < 4; step++) {
                ended.addAll(batch.step());
            }
            assertThat(ended).as("the four-token answer left after its fourth step").containsExactly(joiners.get(1));
            assertThat(batch.size()).isEqualTo(2);
            while (joiners.get(0).result() == null) {
                ended.addAll(batch.step());
            }
            assertThat(batch.size()).isEqualTo(1);
            DecodingBatch.Sequence d = batch.join(List.of(late), List.of(four)).get(0);
            while (!batch.isEmpty()) {
                ended.addAll(batch.step());
            }
            assertThat(batch.step()).isEmpty();

            assertThat(List.of(a.id(), joiners.get(0).id(), joiners.get(1).id(), d.id())).containsExactly(0, 1, 2, 3);
            assertThat(ended).containsExactlyInAnyOrder(a, joiners.get(0), joiners.get(1), d);
            assertThat(a.result().tokens()).containsExactly(generator.generate(first, twelve).tokens());
            assertThat(joiners.get(0).result().tokens()).containsExactly(generator.generate(longer, six).tokens());
            assertThat(joiners.get(1).result().tokens()).containsExactly(generator.generate(shorter, four).tokens());
            assertThat(d.result().tokens()).containsExactly(generator.generate(late, four).tokens());
            assertThat(d.result().finishReason()).isEqualTo(Generation.FinishReason.LENGTH);
        }
    }

    @Test
    void promptsThatStartFromACachedPrefixDecodeAsTheyWouldAlone() {
        GenerationSettings ten = GenerationSettings.greedy(10, List.of());
        GenerationSettings five = GenerationSettings.greedy(5, List.of());
        int[] opening = {1, 20, 21, 22, 23, 24};
        int[] longest = {1, 20, 21, 22, 23, 24, 25, 26, 27};
        int[] shortest = {1, 20, 21, 22, 23, 24, 30};
        int[] divergent = {1, 20, 21, 22, 23, 31, 32, 33, 34, 35}; // shares five tokens: the group starts from five
        int[] justTheOpening = {1, 20, 21, 22, 23, 24};            // the last token still goes through the prefill
        int[] unrelated = {1, 9, 8};
        try (PrefixCache prefixes = new PrefixCache(model, List.of(new int[] {1, 33, 34, 35}, opening));
             DecodingBatch batch = new DecodingBatch(model, prefixes)) {
            List<DecodingBatch.Sequence> group = batch.join(List.of(longest, shortest, divergent), List.of(ten, ten, ten));
            batch.step();
            batch.step();
            DecodingBatch.Sequence alone = batch.join(List.of(justTheOpening), List.of(five)).get(0);
            batch.step();
            DecodingBatch.Sequence fresh = batch.join(List.of(unrelated), List.of(five)).get(0);
            while (!batch.isEmpty()) {
                batch.step();
            }

            assertThat(group).extracting(DecodingBatch.Sequence::cachedTokens).containsExactly(5, 5, 5);
            assertThat(alone.cachedTokens()).isEqualTo(5);
            assertThat(fresh.cachedTokens()).isZero();
            assertThat(group.get(0).result().tokens()).containsExactly(generator.generate(longest, ten).tokens());
            assertThat(group.get(1).result().tokens()).containsExactly(generator.generate(shortest, ten).tokens());
            assertThat(group.get(2).result().tokens()).containsExactly(generator.generate(divergent, ten).tokens());
            assertThat(alone.result().tokens()).containsExactly(generator.generate(justTheOpening, five).tokens());
            assertThat(fresh.result().tokens()).containsExactly(generator.generate(unrelated, five).tokens());
        }
    }

    @Test
    void aPrefixCacheMatchesTheEntryEveryPromptSharesMostWith() {
        try (PrefixCache prefixes = new PrefixCache(model, List.of(new int[] {1, 2, 3, 4, 5, 6}, new int[] {1, 2, 3, 7, 8, 9, 10}))) {
            assertThat(prefixes.match(List.of(new int[] {1, 2, 3, 7, 8, 9, 10, 11})).length()).isEqualTo(7);
            assertThat(prefixes.match(List.of(new int[] {1, 2, 3, 4, 5, 6, 12}, new int[] {1, 2, 3, 4, 5, 13})).length())
                    .isEqualTo(5);
            assertThat(prefixes.match(List.of(new int[] {1, 2, 3, 4, 5})).length())
                    .as("one token is left for the prefill to yield logits").isEqualTo(4);
            assertThat(prefixes.match(List.of(new int[] {1, 2, 3, 4, 5, 6, 12}, new int[] {1, 2, 3, 7, 8, 9, 10, 11})))
                    .as("no entry shares four tokens with both").isNull();
            assertThatThrownBy(() -> new PrefixCache(model, List.<int[]>of(new int[] {1, 400})))
                    .hasMessageContaining("token id 400");
        }
    }

    @Test
    void aSequenceThatLeavesEarlyGetsNoResultAndTheOthersAreUnchanged() {
        GenerationSettings eight = GenerationSettings.greedy(8, List.of());
        int[] staying = {1, 12, 13, 14, 15};
        try (DecodingBatch batch = new DecodingBatch(model)) {
            List<DecodingBatch.Sequence> sequences = batch.join(List.of(new int[] {1, 3}, staying), List.of(eight, eight));
            batch.step();
            batch.step();
            batch.leave(List.of(sequences.get(0)));
            assertThat(batch.size()).isEqualTo(1);
            while (!batch.isEmpty()) {
                batch.step();
            }
            assertThat(sequences.get(0).result()).isNull();
            assertThat(sequences.get(1).result().tokens()).containsExactly(generator.generate(staying, eight).tokens());
        }
    }

    @Test
    void rejectsPromptsThatCannotRun() {
        GenerationSettings settings = GenerationSettings.greedy(4, List.of());
        try (DecodingBatch batch = new DecodingBatch(model)) {
            assertThatThrownBy(() -> batch.join(List.of(new int[] {1}), List.of()))
                    .hasMessageContaining("one settings per prompt");
            assertThatThrownBy(() -> batch.join(List.of(new int[] {1, 400}), List.of(settings)))
                    .hasMessageContaining("token id 400");
            assertThatThrownBy(() -> batch.join(List.of(new int[62]), List.of(settings)))
                    .hasMessageContaining("exceeds the model's context of 64");
            assertThat(batch.isEmpty()).isTrue();
        }
    }
}
