package io.recalign.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.recalign.alignment.LoadedModel;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.Generation;
import io.recalign.llm.Generator;
import io.recalign.llm.GenerationSettings;
import io.recalign.llm.Sampler;
import io.recalign.tasks.AnswerFormat;
import io.recalign.tasks.ControlledRequest;
import io.recalign.tasks.GuidedAnswer;
import io.recalign.tasks.GuidedFixtures;
import io.recalign.tasks.PromptRenderer;
import io.recalign.tasks.RateKind;
import io.recalign.tasks.Selection;
import io.recalign.tasks.ShareRule;
import io.recalign.tasks.TitleTrie;
import io.recalign.tasks.UnsatisfiableRequestException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random requests decoded with guidance by an untrained model always satisfy every control: exactly
 * {@code count} items, all real, distinct, outside the history, inside include/exclude/candidates, and
 * the category share met; whatever the tokenizer (one token per title, or sub-word pieces).
 */
class GuidedDecodingPropertiesTest {

    private static final CatalogSnapshot CATALOG = GuidedFixtures.catalog("guided", 120, 10, 17);
    private static final NDManager MANAGER = NDManager.newBaseManager();
    private static final Served WORD_LEVEL = Served.of(ServingFixtures.loadedModel(1, "guided",
            GuidedFixtures.wordLevel(CATALOG), MANAGER, 5));
    private static final Served SUB_WORD = Served.of(ServingFixtures.loadedModel(2, "guided",
            GuidedFixtures.byteLevelBpe(CATALOG, 150), MANAGER, 6));

    /** A model as the service runs it, and a generator on the same weights. */
    record Served(ServingModel model, Generator generator) {
        static Served of(LoadedModel loaded) {
            return new Served(new ServingModel(loaded), new Generator(loaded.model()));
        }
    }

    /** What a request asks, in catalog indices. */
    record Spec(int[] history, int count, int[] include, int[] exclude, RateKind shareKind, int shareCategory,
                double shareFraction, int[] candidates) {

        ShareRule share() {
            return shareKind == null ? null : ShareRule.of(shareCategory, shareKind, shareFraction, count);
        }

        BitSet allowed() {
            return Selection.allowedItems(CATALOG, history, include, exclude, candidates);
        }
    }

    private static int threads;

    /** Tiny models run faster on one PyTorch thread than on several waiting for each other. */
    @BeforeContainer
    static void oneThread() {
        threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
    }

    @AfterContainer
    static void close() {
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        WORD_LEVEL.model().retire();
        SUB_WORD.model().retire();
        MANAGER.close();
    }

    @Property(tries = 25)
    void guidedAnswersSatisfyEveryControlWithOneTokenPerTitle(@ForAll("batches") List<Spec> batch, @ForAll long seed) {
        checkBatch(WORD_LEVEL, batch, seed);
    }

    @Property(tries = 25)
    void guidedAnswersSatisfyEveryControlWithSubWordTokens(@ForAll("batches") List<Spec> batch, @ForAll long seed) {
        checkBatch(SUB_WORD, batch, seed);
    }

    private static void checkBatch(Served served, List<Spec> batch, long seed) {
        ServingModel model = served.model();
        TitleTrie trie = model.trie(CATALOG);
        List<Spec> feasible = new ArrayList<>();
        List<GuidedAnswer> answers = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        int budget = 1;
        for (Spec spec : batch) {
            GuidedAnswer answer;
            try {
                answer = new GuidedAnswer(trie, model.format(), spec.count(), trie.inTreeOrder(spec.allowed()), spec.share());
            } catch (UnsatisfiableRequestException e) {
                assertThat(satisfiable(spec)).as("refused a satisfiable request: %s", e.getMessage()).isFalse();
                continue;
            }
            assertThat(satisfiable(spec)).isTrue();
            feasible.add(spec);
            answers.add(answer);
            prompts.add(model.promptTokens(prompt(spec)));
            budget = Math.max(budget, answer.budget());
        }
        if (feasible.isEmpty()) {
            return;
        }
        GenerationSettings settings = new GenerationSettings(budget, Set.of(2), Sampler.random(1.0, 0, 1.0, new Random(seed)),
                (sequence, generated, logits) -> answers.get(sequence).constrain(generated, logits), null);

        List<Generation> generations = served.generator().generate(prompts, settings);

        for (int i = 0; i < feasible.size(); i++) {
            Spec spec = feasible.get(i);
            int[] tokens = generations.get(i).tokens();
            assertThat(generations.get(i).finishReason()).isEqualTo(Generation.FinishReason.STOP_TOKEN);
            assertThat(answers.get(i).complete(tokens)).isTrue();
            List<Integer> items = answers.get(i).items();
            assertControls(spec, items);
            List<String> titles = items.stream().map(item -> CATALOG.items().get(item).title()).toList();
            assertThat(AnswerFormat.parse(model.format().text(tokens))).as("the answer text lists the chosen titles")
                    .containsExactlyElementsOf(titles);
        }
    }

    private static void assertControls(Spec spec, List<Integer> items) {
        assertThat(items).hasSize(spec.count()).doesNotHaveDuplicates();
        Set<Integer> history = new HashSet<>();
        Arrays.stream(spec.history()).forEach(history::add);
        int inShare = 0;
        for (int item : items) {
            assertThat(history).doesNotContain(item);
            int[] categories = CATALOG.items().get(item).categories();
            if (spec.include().length > 0) {
                assertThat(Arrays.stream(categories).anyMatch(c -> contains(spec.include(), c))).isTrue();
            }
            assertThat(Arrays.stream(categories).noneMatch(c -> contains(spec.exclude(), c))).isTrue();
            if (spec.candidates() != null) {
                assertThat(contains(spec.candidates(), item)).isTrue();
            }
            if (spec.shareKind() != null && contains(categories, spec.shareCategory())) {
                inShare++;
            }
        }
        if (spec.shareKind() != null) {
            int k = spec.shareKind().countFor(spec.shareFraction(), spec.count());
            assertThat(spec.shareKind().accepts(inShare, k)).as("%d of %d in the share category, k=%d %s",
                    inShare, spec.count(), k, spec.shareKind()).isTrue();
        }
    }

    /** Brute force, independent of the decoder: does some split of the list between the category and the rest work? */
    private static boolean satisfiable(Spec spec) {
        BitSet allowed = spec.allowed();
        if (spec.shareKind() == null) {
            return allowed.cardinality() >= spec.count();
        }
        int in = 0;
        int out = 0;
        for (int item = allowed.nextSetBit(0); item >= 0; item = allowed.nextSetBit(item + 1)) {
            if (contains(CATALOG.items().get(item).categories(), spec.shareCategory())) {
                in++;
            } else {
                out++;
            }
        }
        int k = spec.shareKind().countFor(spec.shareFraction(), spec.count());
        for (int m = 0; m <= spec.count(); m++) {
            if (spec.shareKind().accepts(m, k) && m <= in && spec.count() - m <= out) {
                return true;
            }
        }
        return false;
    }

    private static String prompt(Spec spec) {
        List<String> history = Arrays.stream(spec.history()).mapToObj(item -> CATALOG.items().get(item).title()).toList();
        return PromptRenderer.render(ControlledRequest.of(history, spec.count()));
    }

    private static boolean contains(int[] values, int value) {
        return Arrays.stream(values).anyMatch(v -> v == value);
    }

    @Provide
    Arbitrary<List<Spec>> batches() {
        int items = CATALOG.items().size();
        int categories = CATALOG.categories().size();
        Arbitrary<int[]> history = Arbitraries.integers().between(0, items - 1).set().ofMaxSize(20)
                .map(set -> set.stream().mapToInt(Integer::intValue).toArray());
        Arbitrary<int[]> categorySet = Arbitraries.integers().between(0, categories - 1).set().ofMaxSize(2)
                .map(set -> set.stream().mapToInt(Integer::intValue).toArray());
        Arbitrary<RateKind> kind = Arbitraries.of(RateKind.values()).injectNull(0.4);
        Arbitrary<int[]> candidates = Arbitraries.integers().between(0, items - 1).set().ofMinSize(5).ofMaxSize(40)
                .map(set -> set.stream().mapToInt(Integer::intValue).toArray()).injectNull(0.7);
        Arbitrary<Spec> spec = Combinators.combine(history, Arbitraries.integers().between(1, 12), categorySet, categorySet,
                        kind, Arbitraries.integers().between(0, categories - 1),
                        Arbitraries.of(0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0), candidates)
                .as((h, count, include, exclude, shareKind, shareCategory, fraction, pool) ->
                        new Spec(h, count, include, exclude, shareKind, shareCategory, fraction, pool));
        return spec.list().ofMinSize(1).ofMaxSize(4);
    }
}
