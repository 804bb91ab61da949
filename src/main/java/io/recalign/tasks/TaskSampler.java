package io.recalign.tasks;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TopKQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Makes every per-task choice of method.md §3 (training), §6 (validation and test) and §5 (RL prompts):
 * N, the category C and its polarity, the share k and the in-category count k' of the label. Choices that
 * depend on the teacher's unconstrained top-10 (-C; LP at test time and in RL) are probed in one batched call.
 */
final class TaskSampler {

    /** Which rules apply: training (§3), held-out validation/test (§6) or RL prompts (§5). */
    enum Mode { TRAIN, HELD_OUT, RL }

    /** Longest list a SeqRec, PersonalControlRec or ControlRec label holds, and the candidate list size. */
    static final int LIST_SIZE = 10;
    /** The teacher's unconstrained top-N that -C categories are drawn from. */
    private static final int PROBE_SIZE = 10;
    /** The share k of the fixed test tasks: LP 20 %, MP and EP 30 % of ten items. */
    private static final int TEST_SHARE_AT_MOST = 2;
    private static final int TEST_SHARE_OTHERS = 3;

    /** Moments decided (and their teacher queries batched) together. */
    private static final int CHUNK = 256;
    /** Moments tried per wanted example before giving up on a task that rarely applies. */
    private static final int ATTEMPTS_PER_EXAMPLE = 20;

    private final CatalogView catalog;
    private final Teacher teacher;

    private TaskSampler(CatalogView catalog, Teacher teacher) {
        this.catalog = catalog;
        this.teacher = teacher;
    }

    /** A sampler over a snapshot, refusing a teacher trained on another dataset. */
    static TaskSampler of(CatalogSnapshot snapshot, Teacher teacher) {
        if (!snapshot.dataset().equals(teacher.dataset())) {
            throw new IllegalArgumentException("the teacher was trained on dataset '" + teacher.dataset()
                    + "', not on '" + snapshot.dataset() + "'");
        }
        return new TaskSampler(new CatalogView(snapshot), teacher);
    }

    CatalogView catalog() {
        return catalog;
    }

    /** An independent random stream per (seed, stream): one task's draws never shift another's. */
    static RandomGenerator rng(long seed, int stream) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (stream + 1)));
    }

    /**
     * Draws moments chunk by chunk, decides their drafts and hands each chunk's drafts to {@code use},
     * which returns how many it used, until {@code wanted} were used, the moments run out, or too many
     * moments did not qualify.
     */
    void run(int wanted, MomentSource moments, Supplier<TaskFamily> families, Mode mode, RandomGenerator rng,
             ToIntFunction<List<Draft>> use) {
        int used = 0;
        long attempts = 0;
        long maxAttempts = (long) ATTEMPTS_PER_EXAMPLE * wanted + 100;
        while (used < wanted && attempts < maxAttempts) {
            // draw for the expected acceptance, so a task that often does not apply still needs few chunks
            double acceptance = attempts == 0 ? 1 : Math.max(0.05, (double) used / attempts);
            int size = (int) Math.min(CHUNK, Math.ceil((wanted - used) / acceptance));
            List<Moment> chunk = new ArrayList<>(size);
            List<TaskFamily> chunkFamilies = new ArrayList<>(size);
            while (chunk.size() < size) {
                Moment moment = moments.next();
                if (moment == null) {
                    break;
                }
                chunk.add(moment);
                chunkFamilies.add(families.get());
            }
            if (chunk.isEmpty()) {
                return;
            }
            attempts += chunk.size();
            List<Draft> drafts = decide(chunkFamilies, chunk, mode, rng);
            used += use.applyAsInt(drafts.subList(0, Math.min(drafts.size(), wanted - used)));
        }
    }

    /** Drafts for these moments (one family each), dropping the moments where a family does not apply. */
    private List<Draft> decide(List<TaskFamily> families, List<Moment> moments, Mode mode, RandomGenerator rng) {
        List<TopKQuery> probes = new ArrayList<>();
        int[] probeOf = new int[moments.size()];
        for (int i = 0; i < moments.size(); i++) {
            probeOf[i] = -1;
            if (needsProbe(families.get(i), mode)) {
                probeOf[i] = probes.size();
                probes.add(TopKQuery.of(moments.get(i).history(), PROBE_SIZE));
            }
        }
        List<int[]> answers = probes.isEmpty() ? List.of() : teacher.topK(probes);
        List<Draft> drafts = new ArrayList<>(moments.size());
        for (int i = 0; i < moments.size(); i++) {
            int[] probe = probeOf[i] < 0 ? null : answers.get(probeOf[i]);
            Draft draft = decide(families.get(i), moments.get(i), probe, mode, rng);
            if (draft != null) {
                drafts.add(draft);
            }
        }
        return drafts;
    }

    /** The prompt's content for a draft, in catalog words; {@code candidates} only for the candidate task. */
    TaskInput input(Draft draft, int[] candidates) {
        Moment moment = draft.moment();
        List<String> history = catalog.titles(moment.history());
        String category = draft.category() < 0 ? null : catalog.categoryName(draft.category());
        return switch (draft.family()) {
            case SEQ_REC -> new TaskInput.SeqRec(history, draft.count());
            case SEQ_REC_CANDIDATES -> new TaskInput.SeqRecCandidates(history, draft.count(),
                    catalog.titles(candidates));
            case CONTROL_IN, CONTROL_OUT -> new TaskInput.PersonalControl(history, draft.count(),
                    new Intention(draft.polarity(), category));
            case CONTROL_NO_HISTORY -> new TaskInput.ControlRec(draft.count(),
                    new Intention(draft.polarity(), category));
            case CATEGORY_QUERY -> new TaskInput.CategoryQuery(catalog.title(moment.target()));
            case RATE_AT_MOST, RATE_AT_LEAST, RATE_ABOUT -> new TaskInput.CategoryRate(history, draft.count(),
                    category, draft.family().rateKind(), draft.rateK(), draft.phrasing());
            case ITEM_COUNT -> new TaskInput.ItemCount(history, draft.count());
        };
    }

    private static boolean needsProbe(TaskFamily family, Mode mode) {
        return family == TaskFamily.CONTROL_OUT || (family == TaskFamily.RATE_AT_MOST && mode != Mode.TRAIN);
    }

    private Draft decide(TaskFamily family, Moment moment, int[] probe, Mode mode, RandomGenerator rng) {
        return switch (family) {
            case SEQ_REC -> plain(family, moment, 1 + catalog.availableAny(moment.historyAndTarget()), mode, rng);
            case ITEM_COUNT -> plain(family, moment, catalog.availableAny(moment.history()), mode, rng);
            case SEQ_REC_CANDIDATES -> 1 + catalog.availableAny(moment.historyAndTarget()) < LIST_SIZE
                    ? null : plain(family, moment, LIST_SIZE, mode, rng);
            case CONTROL_IN -> controlIn(moment, mode, rng);
            case CONTROL_OUT -> controlOut(moment, probe, mode, rng);
            case CONTROL_NO_HISTORY -> controlNoHistory(moment, mode, rng);
            case CATEGORY_QUERY -> categoryQuery(moment, mode, rng);
            case RATE_AT_MOST, RATE_AT_LEAST, RATE_ABOUT -> rate(family, moment, probe, mode, rng);
        };
    }

    private Draft plain(TaskFamily family, Moment moment, int available, Mode mode, RandomGenerator rng) {
        int count = drawCount(family, mode, available, rng);
        return count < 0 ? null : Draft.plain(family, moment, count);
    }

    /** +C: C at random (training, RL) or the target's deepest category (test); true target first when in C. */
    private Draft controlIn(Moment moment, Mode mode, RandomGenerator rng) {
        int category = mode == Mode.HELD_OUT ? catalog.deepestCategory(moment.target()) : randomCategory(rng);
        if (category < 0) {
            return null;
        }
        int available = catalog.availableIn(category, moment.historyAndTarget())
                + (catalog.inCategory(moment.target(), category) ? 1 : 0);
        int count = drawCount(TaskFamily.CONTROL_IN, mode, available, rng);
        return count < 0 ? null
                : Draft.controlled(TaskFamily.CONTROL_IN, moment, count, category, Polarity.POSITIVE);
    }

    /** -C: C among the categories most frequent in the teacher's top-10, the target's excluded. */
    private Draft controlOut(Moment moment, int[] probe, Mode mode, RandomGenerator rng) {
        int category = mostFrequentOtherCategory(probe, moment.target(), mode == Mode.HELD_OUT ? null : rng);
        if (category < 0) {
            return null;
        }
        int count = drawCount(TaskFamily.CONTROL_OUT, mode,
                catalog.availableOutside(category, moment.history()), rng);
        return count < 0 ? null
                : Draft.controlled(TaskFamily.CONTROL_OUT, moment, count, category, Polarity.NEGATIVE);
    }

    /** ControlRec: a positive intention on one of the target's categories, or a negative one on another. */
    private Draft controlNoHistory(Moment moment, Mode mode, RandomGenerator rng) {
        int target = moment.target();
        boolean positive = rng.nextBoolean() && catalog.categories(target).length > 0;
        int category;
        int available;
        if (positive) {
            category = ownCategory(target, mode, rng);
            available = catalog.availableIn(category, new int[0]);
        } else {
            int[] others = IntStream.range(0, catalog.categoryCount())
                    .filter(c -> !catalog.inCategory(target, c)).toArray();
            if (others.length == 0) {
                return null;
            }
            category = randomOf(others, rng);
            available = catalog.availableOutside(category, new int[0]);
        }
        int count = drawCount(TaskFamily.CONTROL_NO_HISTORY, mode, available, rng);
        return count < 0 ? null : Draft.controlled(TaskFamily.CONTROL_NO_HISTORY, moment, count, category,
                positive ? Polarity.POSITIVE : Polarity.NEGATIVE);
    }

    private Draft categoryQuery(Moment moment, Mode mode, RandomGenerator rng) {
        int category = ownCategory(moment.target(), mode, rng);
        if (category < 0) {
            return null;
        }
        return Draft.controlled(TaskFamily.CATEGORY_QUERY, moment, 1, category, null);
    }

    /**
     * PersonalCategoryRate: training draws C and k in 1..N-1, and the label holds k' items of C, where k' is
     * k or k±1 in the direction the rule allows; the test tasks are LP 20 % (C most frequent in the
     * teacher's top-10 apart from the target's categories), MP and EP 30 % (C the target's deepest
     * category), with k' = k. RL prompts carry k only, and draw C as the test does but at random among
     * ties and the target's categories: a rule on a category the list would hold none of is met by any
     * list, so it teaches nothing.
     */
    private Draft rate(TaskFamily family, Moment moment, int[] probe, Mode mode, RandomGenerator rng) {
        RateKind kind = family.rateKind();
        int count = drawCount(family, mode, catalog.availableAny(moment.history()), rng);
        if (count < 2) {
            return null;
        }
        int category;
        if (mode == Mode.TRAIN) {
            category = randomCategory(rng);
        } else if (kind == RateKind.AT_MOST) {
            category = mostFrequentOtherCategory(probe, moment.target(), mode == Mode.HELD_OUT ? null : rng);
        } else {
            category = ownCategory(moment.target(), mode, rng);
        }
        if (category < 0) {
            return null;
        }
        int inside = catalog.availableIn(category, moment.history());
        int outside = catalog.availableOutside(category, moment.history());
        int k = mode == Mode.HELD_OUT
                ? (kind == RateKind.AT_MOST ? TEST_SHARE_AT_MOST : TEST_SHARE_OTHERS)
                : 1 + rng.nextInt(count - 1);
        int[] options = mode == Mode.HELD_OUT ? new int[] {k} : switch (kind) {
            case AT_MOST -> new int[] {k - 1, k};
            case AT_LEAST -> new int[] {k, k + 1};
            case ABOUT -> new int[] {k - 1, k, k + 1};
        };
        int[] feasible = IntStream.of(options)
                .filter(inCategory -> inCategory >= 0 && inCategory <= count
                        && inCategory <= inside && count - inCategory <= outside)
                .toArray();
        if (feasible.length == 0) {
            return null;
        }
        int labelInCategory = mode == Mode.RL ? -1 : randomOf(feasible, rng);
        TaskInput.SharePhrasing phrasing = TaskInput.SharePhrasing.PERCENT;
        if (mode != Mode.HELD_OUT && (rng.nextBoolean() || 100 * k % count != 0)) {
            phrasing = TaskInput.SharePhrasing.COUNT; // a percentage only where it is a whole number
        }
        return new Draft(family, moment, count, category, null, k, labelInCategory, phrasing);
    }

    /**
     * N for a family and mode, at most {@code available}: training and RL draw from their range and give up
     * when too few items qualify; held-out tasks shrink N to what is available.
     */
    private static int drawCount(TaskFamily family, Mode mode, int available, RandomGenerator rng) {
        int low;
        int high;
        switch (family) {
            case ITEM_COUNT -> {
                low = mode == Mode.TRAIN ? 1 : mode == Mode.HELD_OUT ? 11 : 6;
                high = mode == Mode.TRAIN ? 20 : mode == Mode.HELD_OUT ? 15 : 10;
            }
            case CATEGORY_QUERY -> {
                low = 1;
                high = 1;
            }
            case SEQ_REC_CANDIDATES, CONTROL_NO_HISTORY -> {
                low = 1;
                high = LIST_SIZE;
            }
            case RATE_AT_MOST, RATE_AT_LEAST, RATE_ABOUT -> {
                low = mode == Mode.RL ? 6 : LIST_SIZE;
                high = LIST_SIZE;
            }
            default -> { // SeqRec, PersonalControlRec
                low = mode == Mode.TRAIN ? 1 : mode == Mode.HELD_OUT ? LIST_SIZE : 6;
                high = LIST_SIZE;
            }
        }
        high = Math.min(high, available);
        if (mode == Mode.HELD_OUT) {
            low = Math.min(low, high);
        }
        if (high < Math.max(low, 1)) {
            return -1;
        }
        return low + rng.nextInt(high - low + 1);
    }

    /**
     * The category most frequent among the probed items, leaving out the target's own; ties drawn at
     * random, or the lowest index when {@code rng} is null. -1 when every category is the target's.
     */
    private int mostFrequentOtherCategory(int[] probe, int target, RandomGenerator rng) {
        int[] counts = new int[catalog.categoryCount()];
        for (int item : probe) {
            for (int category : catalog.categories(item)) {
                counts[category]++;
            }
        }
        int best = IntStream.range(0, counts.length).filter(c -> !catalog.inCategory(target, c))
                .map(c -> counts[c]).max().orElse(-1);
        if (best < 0) {
            return -1;
        }
        int[] tied = IntStream.range(0, counts.length)
                .filter(c -> !catalog.inCategory(target, c) && counts[c] == best).toArray();
        return rng == null ? tied[0] : randomOf(tied, rng);
    }

    /** One of the item's categories: its deepest for held-out tasks, else one at random; -1 when it has none. */
    private int ownCategory(int item, Mode mode, RandomGenerator rng) {
        int[] own = catalog.categories(item);
        return own.length == 0 ? -1 : mode == Mode.HELD_OUT ? catalog.deepestCategory(item) : randomOf(own, rng);
    }

    private int randomCategory(RandomGenerator rng) {
        return catalog.categoryCount() == 0 ? -1 : rng.nextInt(catalog.categoryCount());
    }

    private static int randomOf(int[] values, RandomGenerator rng) {
        return values[rng.nextInt(values.length)];
    }
}
