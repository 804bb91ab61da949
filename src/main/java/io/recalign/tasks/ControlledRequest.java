package io.recalign.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A recommendation request as the serving API states it: a history, a count, structured controls and an
 * optional free-text instruction. {@link PromptRenderer#render(ControlledRequest)} words it exactly as the
 * model was trained (a request with one control renders like the test template of that task).
 *
 * @param history     titles, oldest first (may be empty: the prompt then has no history)
 * @param count       number of items asked for
 * @param include     categories the user wants (+C)
 * @param exclude     categories the user does not want (-C)
 * @param share       an optional category share (at most / at least / about a fraction)
 * @param candidates  optional titles to choose from (needs a history)
 * @param instruction optional free text from the user; neutralised before use
 */
public record ControlledRequest(List<String> history, int count, List<String> include, List<String> exclude,
                                CategoryShare share, List<String> candidates, String instruction) {

    public ControlledRequest {
        history = copyTitles(history, "history");
        Require.count(count);
        include = copyTitles(include, "include");
        exclude = copyTitles(exclude, "exclude");
        candidates = copyTitles(candidates, "candidates");
        if (!candidates.isEmpty() && history.isEmpty()) {
            throw new IllegalArgumentException("a candidate list needs a history");
        }
        if (!candidates.isEmpty() && count > candidates.size()) {
            throw new IllegalArgumentException(
                    "cannot pick " + count + " items from " + candidates.size() + " candidates");
        }
    }

    /** A request for {@code count} items after {@code history}, with no controls. */
    public static ControlledRequest of(List<String> history, int count) {
        return new ControlledRequest(history, count, null, null, null, null, null);
    }

    /** "{@code kind} {@code fraction} of the list should be {@code category} items". */
    public record CategoryShare(String category, RateKind kind, double fraction) {
        public CategoryShare {
            Require.text(category, "share category");
            Objects.requireNonNull(kind, "share kind");
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("a category share is a fraction between 0 and 1, was " + fraction);
            }
        }
    }

    private static List<String> copyTitles(List<String> values, String what) {
        if (values == null) {
            return List.of();
        }
        List<String> copy = new ArrayList<>(values.size());
        for (String value : values) {
            Require.text(value, what + " entry");
            copy.add(value);
        }
        return List.copyOf(copy);
    }
}
