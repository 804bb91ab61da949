package io.recalign.tasks;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.teacher.Teacher;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Prompts for the RL stage (method.md §5): SeqRec, PersonalControlRec +C and -C, PersonalCategoryRate
 * LP/MP/EP and ItemCount on training moments, N drawn in 6..10, training paraphrases, each with the
 * parameters its reward needs. Deterministic for a seed and a deterministic teacher.
 */
public final class RlPromptSampler {

    /** The tasks RL trains on, each drawn with equal probability. */
    public static final List<TaskFamily> TASKS = List.of(TaskFamily.SEQ_REC, TaskFamily.CONTROL_IN,
            TaskFamily.CONTROL_OUT, TaskFamily.RATE_AT_MOST, TaskFamily.RATE_AT_LEAST, TaskFamily.RATE_ABOUT,
            TaskFamily.ITEM_COUNT);

    private final TaskSampler sampler;
    private final CatalogSnapshot snapshot;

    public RlPromptSampler(CatalogSnapshot snapshot, Teacher teacher) {
        this.snapshot = snapshot;
        this.sampler = TaskSampler.of(snapshot, teacher);
    }

    /** {@code count} prompts (fewer only if the catalog gives too few training moments). */
    public List<RlPrompt> sample(int count, long seed) {
        return sample(count, seed, Split.TRAIN, TASKS);
    }

    /**
     * {@code count} prompts of the given RL tasks on moments of a split: training moments (drawn anew
     * each time) or the held-out validation or test moments (each user at most once, so fewer when the
     * catalog has fewer users).
     */
    public List<RlPrompt> sample(int count, long seed, Split split, List<TaskFamily> tasks) {
        if (tasks.isEmpty() || !TASKS.containsAll(tasks)) {
            throw new IllegalArgumentException("RL tasks must be some of " + TASKS.stream().map(TaskFamily::code).toList()
                    + ", were " + tasks.stream().map(TaskFamily::code).toList());
        }
        List<TaskFamily> drawn = List.copyOf(tasks);
        RandomGenerator rng = TaskSampler.rng(seed, -1);
        List<RlPrompt> prompts = new ArrayList<>(count);
        sampler.run(count, MomentSource.of(snapshot.users(), split, rng),
                () -> drawn.get(rng.nextInt(drawn.size())), TaskSampler.Mode.RL, rng, drafts -> {
                    drafts.forEach(draft -> prompts.add(prompt(draft, rng)));
                    return drafts.size();
                });
        return prompts;
    }

    private RlPrompt prompt(Draft draft, RandomGenerator rng) {
        Moment moment = draft.moment();
        String prompt = PromptRenderer.render(sampler.input(draft, new int[0]), rng);
        ExampleParameters parameters = new ExampleParameters(snapshot.users().get(moment.user()).externalId(),
                InstructionBuilder.boxed(moment.history()), moment.target(), draft.count(), draft.category(),
                draft.polarity(), draft.rateK(), List.of(), List.of());
        return new RlPrompt(draft.family(), prompt, parameters);
    }
}
