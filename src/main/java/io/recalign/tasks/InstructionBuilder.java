package io.recalign.tasks;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.teacher.CategoryConstraint;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TopKQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Builds teacher-labelled instruction examples for every task family and split (method.md §3, with the
 * validation and test tasks of §6), deterministic for a seed and a deterministic teacher. Teacher queries
 * go in batches. Each (split, task) pair draws from its own random stream, so changing one task's count
 * leaves the other tasks' examples unchanged.
 */
public final class InstructionBuilder {

    private final TaskSampler sampler;
    private final CatalogView catalog;
    private final Teacher teacher;

    public InstructionBuilder(CatalogSnapshot snapshot, Teacher teacher) {
        this.sampler = TaskSampler.of(snapshot, teacher);
        this.catalog = sampler.catalog();
        this.teacher = teacher;
    }

    public List<LabelledExample> build(InstructionPlan plan, long seed) {
        List<LabelledExample> examples = new ArrayList<>();
        build(plan, seed, examples::add);
        return examples;
    }

    /** Streams the examples split by split, task by task, to {@code sink} (for writing in batches). */
    public void build(InstructionPlan plan, long seed, Consumer<LabelledExample> sink) {
        for (Split split : Split.values()) {
            for (TaskFamily family : TaskFamily.values()) {
                int wanted = plan.count(split, family);
                if (wanted == 0) {
                    continue;
                }
                RandomGenerator rng = TaskSampler.rng(seed, split.ordinal() * TaskFamily.values().length
                        + family.ordinal());
                MomentSource moments = MomentSource.of(catalog.snapshot().users(), split, rng);
                TaskSampler.Mode mode = split == Split.TRAIN ? TaskSampler.Mode.TRAIN : TaskSampler.Mode.HELD_OUT;
                sampler.run(wanted, moments, () -> family, mode, rng, drafts -> {
                    List<LabelledExample> labelled = label(drafts, split, rng);
                    labelled.forEach(sink);
                    return labelled.size();
                });
            }
        }
    }

    /** Labels a chunk of drafts with one batched teacher call; drafts the teacher cannot fill are dropped. */
    private List<LabelledExample> label(List<Draft> drafts, Split split, RandomGenerator rng) {
        List<TopKQuery> queries = new ArrayList<>();
        int[] firstQuery = new int[drafts.size() + 1];
        for (int i = 0; i < drafts.size(); i++) {
            firstQuery[i] = queries.size();
            queries.addAll(queriesFor(drafts.get(i)));
        }
        firstQuery[drafts.size()] = queries.size();
        List<int[]> answers = queries.isEmpty() ? List.of() : teacher.topK(queries);
        if (answers.size() != queries.size()) {
            throw new IllegalStateException("the teacher answered " + answers.size() + " of " + queries.size()
                    + " queries");
        }
        for (int q = 0; q < queries.size(); q++) {
            checkAnswer(queries.get(q), answers.get(q));
        }
        List<LabelledExample> examples = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            Draft draft = drafts.get(i);
            int[] label = compose(draft, answers.subList(firstQuery[i], firstQuery[i + 1]), rng);
            if (label != null) {
                examples.add(example(draft, label, split, rng));
            }
        }
        return examples;
    }

    /**
     * The label rules of method.md §3: SeqRec and +C put the true target first (for +C when it is in C)
     * ahead of the teacher's next best; -C and ItemCount are the teacher's top-N; rate tasks take the
     * teacher's top-k' in C and top-(N-k') outside C; ControlRec is the target plus random items that
     * satisfy the intention.
     */
    private List<TopKQuery> queriesFor(Draft draft) {
        int[] history = draft.moment().history();
        int target = draft.moment().target();
        int count = draft.count();
        int category = draft.category();
        return switch (draft.family()) {
            case SEQ_REC, SEQ_REC_CANDIDATES -> count > 1
                    ? List.of(new TopKQuery(history, count - 1, CategoryConstraint.NONE, new int[] {target}, null))
                    : List.of();
            case CONTROL_IN -> {
                if (!catalog.inCategory(target, category)) {
                    yield List.of(TopKQuery.of(history, count, CategoryConstraint.in(category)));
                }
                yield count > 1 ? List.of(new TopKQuery(history, count - 1, CategoryConstraint.in(category),
                        new int[] {target}, null)) : List.of();
            }
            case CONTROL_OUT -> List.of(TopKQuery.of(history, count, CategoryConstraint.notIn(category)));
            case ITEM_COUNT -> List.of(TopKQuery.of(history, count));
            case RATE_AT_MOST, RATE_AT_LEAST, RATE_ABOUT -> {
                List<TopKQuery> parts = new ArrayList<>(2);
                int inside = draft.labelInCategory();
                if (inside > 0) {
                    parts.add(TopKQuery.of(history, inside, CategoryConstraint.in(category)));
                }
                if (count - inside > 0) {
                    parts.add(TopKQuery.of(history, count - inside, CategoryConstraint.notIn(category)));
                }
                yield parts;
            }
            case CONTROL_NO_HISTORY, CATEGORY_QUERY -> List.of();
        };
    }

    /** The label items, or null when the teacher returned fewer items than the task needs. */
    private int[] compose(Draft draft, List<int[]> answers, RandomGenerator rng) {
        int target = draft.moment().target();
        int count = draft.count();
        int category = draft.category();
        int[] label = switch (draft.family()) {
            case SEQ_REC, SEQ_REC_CANDIDATES -> prepend(target, answers);
            case CONTROL_IN -> catalog.inCategory(target, category) ? prepend(target, answers) : answers.get(0);
            case CONTROL_OUT, ITEM_COUNT -> answers.get(0);
            case RATE_AT_MOST, RATE_AT_LEAST, RATE_ABOUT -> {
                int[] joined = answers.stream().flatMapToInt(Arrays::stream).toArray();
                shuffle(joined, rng);
                yield joined;
            }
            case CONTROL_NO_HISTORY -> {
                boolean positive = draft.polarity() == Polarity.POSITIVE;
                int available = (positive ? catalog.availableIn(category, new int[0])
                        : catalog.availableOutside(category, new int[0])) - 1;
                int[] others = catalog.sample(rng, count - 1, positive ? category : -1,
                        item -> item != target && catalog.inCategory(item, category) == positive, available);
                yield prepend(target, List.of(others));
            }
            case CATEGORY_QUERY -> new int[0];
        };
        boolean complete = draft.family() == TaskFamily.CATEGORY_QUERY || label.length == count;
        return complete ? label : null;
    }

    private LabelledExample example(Draft draft, int[] label, Split split, RandomGenerator rng) {
        Moment moment = draft.moment();
        int[] candidates = draft.family() == TaskFamily.SEQ_REC_CANDIDATES ? candidates(moment, label, rng) : new int[0];
        TaskInput input = sampler.input(draft, candidates);
        String prompt = split == Split.TRAIN ? PromptRenderer.render(input, rng) : PromptRenderer.render(input);
        String answer = draft.family().answersWithList()
                ? AnswerFormat.format(catalog.titles(label))
                : AnswerFormat.categoryAnswer(catalog.title(moment.target()), catalog.categoryName(draft.category()));
        ExampleParameters parameters = new ExampleParameters(
                catalog.snapshot().users().get(moment.user()).externalId(),
                draft.family().needsHistory() ? boxed(moment.history()) : List.of(),
                moment.target(), draft.count(), draft.category(), draft.polarity(), draft.rateK(),
                boxed(candidates), boxed(label));
        return new LabelledExample(draft.family(), split, prompt, answer, parameters);
    }

    /** The label items plus random items outside the history, ten in all, shuffled. */
    private int[] candidates(Moment moment, int[] label, RandomGenerator rng) {
        int[] taken = IntStream.concat(Arrays.stream(moment.history()), Arrays.stream(label)).toArray();
        int[] negatives = catalog.sample(rng, TaskSampler.LIST_SIZE - label.length, -1,
                item -> !moment.inHistory(item) && Arrays.stream(label).noneMatch(l -> l == item),
                catalog.availableAny(taken));
        int[] candidates = IntStream.concat(Arrays.stream(label), Arrays.stream(negatives)).toArray();
        shuffle(candidates, rng);
        return candidates;
    }

    /** Fails loudly when the teacher breaks its contract, rather than writing a wrong label. */
    private void checkAnswer(TopKQuery query, int[] answer) {
        if (answer.length > query.k()) {
            throw new IllegalStateException("the teacher returned " + answer.length + " items for k=" + query.k());
        }
        for (int i = 0; i < answer.length; i++) {
            int item = answer[i];
            boolean masked = Arrays.stream(query.history()).anyMatch(h -> h == item)
                    || Arrays.stream(query.exclude()).anyMatch(e -> e == item);
            boolean repeated = Arrays.stream(answer, 0, i).anyMatch(earlier -> earlier == item);
            if (item < 0 || item >= catalog.itemCount() || masked || repeated
                    || !query.constraint().allows(catalog.categories(item))) {
                throw new IllegalStateException("the teacher returned item " + item
                        + ", which is masked, repeated, unknown or outside the constraint " + query.constraint().mode());
            }
        }
    }

    private static int[] prepend(int first, List<int[]> rest) {
        int[] tail = rest.isEmpty() ? new int[0] : rest.get(0);
        int[] items = new int[tail.length + 1];
        items[0] = first;
        System.arraycopy(tail, 0, items, 1, tail.length);
        return items;
    }

    private static void shuffle(int[] items, RandomGenerator rng) {
        for (int i = items.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int swap = items[i];
            items[i] = items[j];
            items[j] = swap;
        }
    }

    static List<Integer> boxed(int[] items) {
        return Arrays.stream(items).boxed().toList();
    }
}
