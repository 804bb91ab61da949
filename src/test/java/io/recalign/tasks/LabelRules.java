package io.recalign.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.catalog.CatalogSnapshot.UserSequence;
import io.recalign.teacher.CategoryConstraint;
import io.recalign.teacher.TopKQuery;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The method's rules for instruction examples and RL prompts, re-stated independently of the builder so
 * that tests can check every example against them.
 */
final class LabelRules {

    private final CatalogSnapshot snapshot;
    private final FakeTeacher teacher;
    private final Map<String, UserSequence> users;

    LabelRules(CatalogSnapshot snapshot, FakeTeacher teacher) {
        this.snapshot = snapshot;
        this.teacher = teacher;
        this.users = snapshot.users().stream().collect(Collectors.toMap(UserSequence::externalId, Function.identity()));
    }

    void check(LabelledExample example) {
        TaskFamily family = example.task();
        ExampleParameters p = example.parameters();
        boolean heldOut = example.split() != Split.TRAIN;
        String description = family.code() + "/" + example.split().code() + " " + p;
        checkMoment(family, example.split(), p, description);
        String instruction = PromptRendererTest.checkFrame(example.prompt(), family);
        if (family.needsHistory()) {
            assertThat(instruction).as(description).contains(PromptRenderer.historyText(titles(p.history())));
        }
        List<Integer> label = p.label();
        int target = p.target();
        if (family == TaskFamily.CATEGORY_QUERY) {
            assertThat(label).isEmpty();
            assertThat(categories(target)).as(description).contains(p.category());
            if (heldOut) {
                assertThat(p.category()).isEqualTo(deepest(target));
            }
            assertThat(example.answer()).isEqualTo(AnswerFormat.categoryAnswer(title(target), name(p.category())));
            return;
        }
        assertThat(AnswerFormat.parse(example.answer())).as(description).isEqualTo(titles(label));
        assertThat(AnswerFormat.isWellFormed(example.answer())).isTrue();
        assertThat(label).as(description).hasSize(p.count()).doesNotHaveDuplicates();
        assertThat(label).as(description).noneMatch(p.history()::contains);
        int[] history = ints(p.history());
        int n = p.count();
        int c = p.category();
        switch (family) {
            case SEQ_REC, SEQ_REC_CANDIDATES -> {
                assertThat(n).as(description).isBetween(heldOut && family == TaskFamily.SEQ_REC ? 10 : 1, 10);
                assertThat(label.get(0)).as("true target first: " + description).isEqualTo(target);
                assertThat(label.subList(1, n)).as(description).isEqualTo(n == 1 ? List.of()
                        : boxed(teacher.topK(new TopKQuery(history, n - 1, CategoryConstraint.NONE,
                        new int[] {target}, null))));
                if (family == TaskFamily.SEQ_REC_CANDIDATES) {
                    assertThat(p.candidates()).as(description).hasSize(10).doesNotHaveDuplicates()
                            .containsAll(label).noneMatch(p.history()::contains);
                    assertThat(instruction).contains(titles(p.candidates()).stream().map(t -> "'" + t + "'")
                            .collect(Collectors.joining(", ")));
                }
            }
            case CONTROL_IN -> {
                assertThat(p.polarity()).isEqualTo(Polarity.POSITIVE);
                assertThat(instruction).contains("'" + name(c) + "'");
                assertThat(label).as("all in C: " + description).allMatch(item -> in(item, c));
                boolean targetInC = in(target, c);
                int available = (int) IntStream.range(0, items())
                        .filter(i -> in(i, c) && i != target && !p.history().contains(i)).count() + (targetInC ? 1 : 0);
                if (heldOut) {
                    assertThat(c).as(description).isEqualTo(deepest(target));
                    assertThat(n).as(description).isEqualTo(Math.min(10, available));
                } else {
                    assertThat(n).isBetween(1, Math.min(10, available));
                }
                if (targetInC) {
                    assertThat(label.get(0)).as("target first when in C: " + description).isEqualTo(target);
                    assertThat(label.subList(1, n)).isEqualTo(n == 1 ? List.of() : boxed(teacher.topK(
                            new TopKQuery(history, n - 1, CategoryConstraint.in(c), new int[] {target}, null))));
                } else {
                    assertThat(label).isEqualTo(boxed(teacher.topK(TopKQuery.of(history, n, CategoryConstraint.in(c)))));
                }
            }
            case CONTROL_OUT -> {
                assertThat(p.polarity()).isEqualTo(Polarity.NEGATIVE);
                assertThat(instruction).contains("'" + name(c) + "'");
                assertThat(categories(target)).as("-C never names the target's category").doesNotContain(c);
                Set<Integer> frequent = mostFrequentOtherCategories(history, target);
                assertThat(frequent).as(description).contains(c);
                if (heldOut) {
                    assertThat(c).isEqualTo(frequent.stream().min(Integer::compare).orElseThrow());
                }
                assertThat(label).as(description).noneMatch(item -> in(item, c))
                        .isEqualTo(boxed(teacher.topK(TopKQuery.of(history, n, CategoryConstraint.notIn(c)))));
                int available = (int) IntStream.range(0, items()).filter(i -> !in(i, c) && !p.history().contains(i)).count();
                assertThat(n).isBetween(heldOut ? Math.min(10, available) : 1, Math.min(10, available));
            }
            case CONTROL_NO_HISTORY -> {
                assertThat(p.history()).isEmpty();
                assertThat(instruction).doesNotContain("\u2192").contains("'" + name(c) + "'");
                assertThat(label.get(0)).as(description).isEqualTo(target);
                assertThat(n).isBetween(1, 10);
                boolean positive = p.polarity() == Polarity.POSITIVE;
                assertThat(label).as("every item satisfies the intention: " + description)
                        .allMatch(item -> in(item, c) == positive);
                if (positive && heldOut) {
                    assertThat(c).isEqualTo(deepest(target));
                }
            }
            case RATE_AT_MOST, RATE_AT_LEAST, RATE_ABOUT -> checkRate(family.rateKind(), p, history, heldOut,
                    instruction, description);
            case ITEM_COUNT -> {
                assertThat(n).as(description).isBetween(heldOut ? 11 : 1, heldOut ? 15 : 20);
                assertThat(label).isEqualTo(boxed(teacher.topK(TopKQuery.of(history, n))));
                assertThat(instruction).contains("exactly " + n + " item");
            }
            case CATEGORY_QUERY -> throw new AssertionError("handled above");
        }
    }

    private void checkRate(RateKind kind, ExampleParameters p, int[] history, boolean heldOut, String instruction,
                           String description) {
        int c = p.category();
        int k = p.rateK();
        List<Integer> label = p.label();
        assertThat(p.count()).isEqualTo(10);
        List<Integer> inside = label.stream().filter(item -> in(item, c)).toList();
        List<Integer> outside = label.stream().filter(item -> !in(item, c)).toList();
        int kPrime = inside.size();
        if (heldOut) {
            assertThat(k).isEqualTo(kind == RateKind.AT_MOST ? 2 : 3);
            assertThat(kPrime).as(description).isEqualTo(k);
            assertThat(instruction).contains(k * 10 + "%");
            if (kind == RateKind.AT_MOST) {
                assertThat(c).isEqualTo(mostFrequentOtherCategories(history, p.target()).stream()
                        .min(Integer::compare).orElseThrow());
            } else {
                assertThat(c).isEqualTo(deepest(p.target()));
            }
        } else {
            assertThat(k).isBetween(1, 9);
            Set<Integer> allowed = switch (kind) {
                case AT_MOST -> Set.of(k - 1, k);
                case AT_LEAST -> Set.of(k, k + 1);
                case ABOUT -> Set.of(k - 1, k, k + 1);
            };
            assertThat(allowed).as("k' is k or k+-1 in the allowed direction: " + description).contains(kPrime);
        }
        assertThat(kind.accepts(kPrime, k)).as(description).isTrue();
        assertThat(instruction).contains("'" + name(c) + "'");
        assertThat(new HashSet<>(inside)).as("teacher top-k' in C: " + description).isEqualTo(kPrime == 0 ? Set.of()
                : new HashSet<>(boxed(teacher.topK(TopKQuery.of(history, kPrime, CategoryConstraint.in(c))))));
        assertThat(new HashSet<>(outside)).as("teacher top-(10-k') outside C").isEqualTo(kPrime == 10 ? Set.of()
                : new HashSet<>(boxed(teacher.topK(TopKQuery.of(history, 10 - kPrime, CategoryConstraint.notIn(c))))));
    }

    /** Training: a window of 1..10 items right before a target inside the training sequence; held out: §1. */
    void checkMoment(TaskFamily family, Split split, ExampleParameters p, String description) {
        UserSequence user = users.get(p.user());
        assertThat(user).as(description).isNotNull();
        int[] history = ints(p.history());
        if (!family.needsHistory()) {
            assertThat(history).isEmpty();
        }
        switch (split) {
            case TRAIN -> {
                int[] training = user.training();
                if (family.needsHistory()) {
                    assertThat(history.length).as(description).isBetween(1, 10);
                    boolean found = IntStream.range(0, training.length - history.length).anyMatch(start ->
                            Arrays.equals(Arrays.copyOfRange(training, start, start + history.length), history)
                                    && training[start + history.length] == p.target());
                    assertThat(found).as("history is a window right before the target: " + description).isTrue();
                } else {
                    assertThat(IntStream.range(1, training.length).anyMatch(i -> training[i] == p.target())).isTrue();
                }
            }
            case VALID -> {
                assertThat(p.target()).isEqualTo(user.validationTarget());
                if (family.needsHistory()) {
                    assertThat(history).isEqualTo(lastTen(user.validationHistory()));
                }
            }
            case TEST -> {
                assertThat(p.target()).isEqualTo(user.testTarget());
                if (family.needsHistory()) {
                    assertThat(history).isEqualTo(lastTen(user.testHistory()));
                }
            }
        }
    }

    /** Categories (other than the target's) most frequent in the teacher's unconstrained top-10. */
    Set<Integer> mostFrequentOtherCategories(int[] history, int target) {
        int[] counts = new int[snapshot.categories().size()];
        for (int item : teacher.topK(TopKQuery.of(history, 10))) {
            for (int c : categories(item)) {
                counts[c]++;
            }
        }
        int best = IntStream.range(0, counts.length).filter(c -> !in(target, c)).map(c -> counts[c]).max().orElseThrow();
        return IntStream.range(0, counts.length).filter(c -> !in(target, c) && counts[c] == best).boxed()
                .collect(Collectors.toSet());
    }

    int items() {
        return snapshot.items().size();
    }

    boolean in(int item, int category) {
        return categories(item).contains(category);
    }

    List<Integer> categories(int item) {
        return boxed(snapshot.items().get(item).categories());
    }

    int deepest(int item) {
        int[] own = snapshot.items().get(item).categories();
        return own.length == 0 ? -1 : own[own.length - 1];
    }

    String title(int item) {
        return snapshot.items().get(item).title();
    }

    String name(int category) {
        return snapshot.categories().get(category);
    }

    List<String> titles(List<Integer> items) {
        return items.stream().map(this::title).toList();
    }

    static int[] ints(List<Integer> items) {
        return items.stream().mapToInt(Integer::intValue).toArray();
    }

    static List<Integer> boxed(int[] items) {
        return Arrays.stream(items).boxed().toList();
    }

    private static int[] lastTen(int[] items) {
        return Arrays.copyOfRange(items, Math.max(0, items.length - 10), items.length);
    }
}
