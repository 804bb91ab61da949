package io.recalign.recommend;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.tasks.AnswerFormat;
import io.recalign.tasks.Selection;
import io.recalign.tasks.ShareRule;
import io.recalign.tasks.TitleIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a free answer against its request: parses the list, grounds every title (exact, else the
 * nearest within Levenshtein distance 3), and reports each breach. The items kept are the grounded ones
 * that break no per-item rule (not non-existent, repeated, in the history, outside include/exclude or the
 * candidates), at most {@code count}, in answer order.
 */
final class AnswerCheck {

    /** @param items item indices, best first */
    record Checked(List<Integer> items, List<Violation> violations) {
    }

    private AnswerCheck() {
    }

    static Checked check(String answer, ResolvedRequest request, TitleIndex titles) {
        CatalogSnapshot snapshot = request.snapshot();
        List<String> written = AnswerFormat.parse(answer);
        List<Violation> violations = new ArrayList<>();
        if (written.size() != request.count()) {
            violations.add(Violation.of(Violation.Type.WRONG_COUNT,
                    "asked for " + request.count() + " items, the answer lists " + written.size()));
        }
        Set<Integer> history = new HashSet<>();
        Arrays.stream(request.history()).forEach(history::add);
        Set<Integer> candidates = null;
        if (request.candidates() != null) {
            candidates = new HashSet<>();
            for (int item : request.candidates()) {
                candidates.add(item);
            }
        }
        Set<Integer> seen = new HashSet<>();
        List<Integer> kept = new ArrayList<>();
        for (String title : written) {
            Optional<TitleIndex.Match> match = titles.match(title);
            if (match.isEmpty()) {
                violations.add(Violation.of(Violation.Type.NON_EXISTENT, "'" + title + "' is no catalog title"));
                continue;
            }
            int item = match.get().item();
            String name = "'" + snapshot.items().get(item).title() + "'";
            int[] categories = snapshot.items().get(item).categories();
            if (!seen.add(item)) {
                violations.add(Violation.of(Violation.Type.REPEAT, name + " is listed more than once"));
            } else if (history.contains(item)) {
                violations.add(Violation.of(Violation.Type.IN_HISTORY, name + " is in the history"));
            } else if (candidates != null && !candidates.contains(item)) {
                violations.add(Violation.of(Violation.Type.CANDIDATES, name + " is not one of the candidates"));
            } else if (request.include().length > 0 && !Selection.inAny(categories, request.include())) {
                violations.add(Violation.of(Violation.Type.INCLUDE, name + " is in none of the included categories"));
            } else if (Selection.inAny(categories, request.exclude())) {
                violations.add(Violation.of(Violation.Type.EXCLUDE, name + " is in an excluded category"));
            } else if (kept.size() < request.count()) {
                kept.add(item);
            }
        }
        ShareRule share = request.share();
        if (share != null) {
            long inCategory = kept.stream()
                    .filter(item -> Selection.inAny(snapshot.items().get(item).categories(), new int[] {share.category()}))
                    .count();
            if (!share.accepts((int) inCategory)) {
                violations.add(Violation.of(Violation.Type.CATEGORY_SHARE, inCategory + " of the " + kept.size()
                        + " valid items are '" + snapshot.categories().get(share.category()) + "' items; the request allows "
                        + share.fewest() + " to " + share.most()));
            }
        }
        return new Checked(kept, violations);
    }
}
