package io.recalign.tasks;

import java.util.List;
import java.util.Objects;

/**
 * What one prompt says, in catalog words (titles and category names), for each task family. The renderer
 * turns it into prompt text; histories may be longer than ten titles, the prompt shows the last ten.
 */
public sealed interface TaskInput {

    TaskFamily family();

    /** I0: recommend the next {@code count} items. */
    record SeqRec(List<String> history, int count) implements TaskInput {
        public SeqRec {
            history = Require.titles(history, "history");
            Require.count(count);
        }

        @Override
        public TaskFamily family() {
            return TaskFamily.SEQ_REC;
        }
    }

    /** I0 with a candidate list to pick {@code count} items from. */
    record SeqRecCandidates(List<String> history, int count, List<String> candidates) implements TaskInput {
        public SeqRecCandidates {
            history = Require.titles(history, "history");
            Require.count(count);
            candidates = Require.titles(candidates, "candidates");
            if (count > candidates.size()) {
                throw new IllegalArgumentException(
                        "cannot pick " + count + " items from " + candidates.size() + " candidates");
            }
        }

        @Override
        public TaskFamily family() {
            return TaskFamily.SEQ_REC_CANDIDATES;
        }
    }

    /** I1, PersonalControlRec: a history and a category intention (+C or -C by its polarity). */
    record PersonalControl(List<String> history, int count, Intention intention) implements TaskInput {
        public PersonalControl {
            history = Require.titles(history, "history");
            Require.count(count);
            Objects.requireNonNull(intention, "intention");
        }

        @Override
        public TaskFamily family() {
            return intention.polarity() == Polarity.POSITIVE ? TaskFamily.CONTROL_IN : TaskFamily.CONTROL_OUT;
        }
    }

    /** I3, ControlRec: an intention and no history. */
    record ControlRec(int count, Intention intention) implements TaskInput {
        public ControlRec {
            Require.count(count);
            Objects.requireNonNull(intention, "intention");
        }

        @Override
        public TaskFamily family() {
            return TaskFamily.CONTROL_NO_HISTORY;
        }
    }

    /** I3 reversed: "What is the category of 'T'?". */
    record CategoryQuery(String title) implements TaskInput {
        public CategoryQuery {
            Require.text(title, "title");
        }

        @Override
        public TaskFamily family() {
            return TaskFamily.CATEGORY_QUERY;
        }
    }

    /**
     * I2, PersonalCategoryRate: {@code k} of the {@code count} items at most / at least / about in
     * {@code category}, said as a percentage or as a count.
     */
    record CategoryRate(List<String> history, int count, String category, RateKind kind, int k,
                        SharePhrasing phrasing) implements TaskInput {
        public CategoryRate {
            history = Require.titles(history, "history");
            Require.count(count);
            Require.text(category, "category");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(phrasing, "phrasing");
            if (k < 0 || k > count) {
                throw new IllegalArgumentException("the category count k must lie in 0.." + count + ", was " + k);
            }
        }

        @Override
        public TaskFamily family() {
            return kind.family();
        }
    }

    /** Count control: exactly {@code count} items. */
    record ItemCount(List<String> history, int count) implements TaskInput {
        public ItemCount {
            history = Require.titles(history, "history");
            Require.count(count);
        }

        @Override
        public TaskFamily family() {
            return TaskFamily.ITEM_COUNT;
        }
    }

    /** How a category share is said: "30%" or "3". */
    enum SharePhrasing { PERCENT, COUNT }
}
