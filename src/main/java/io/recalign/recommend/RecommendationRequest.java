package io.recalign.recommend;

import java.util.List;

/**
 * A recommendation request, with users and items named by the dataset's own ids. Its bounds are checked
 * by {@link RequestResolver}.
 *
 * @param dataset       which dataset; may be left out when only one exists
 * @param userId        a user whose stored history is the start of the history
 * @param history       item ids or exact titles, oldest first, after the user's own history
 * @param count         items to recommend (default 10)
 * @param instruction   free text, used as the instruction beside the structured controls
 * @param include       category names the items must come from (any of them)
 * @param exclude       category names no item may have
 * @param categoryShare how many of the items should be of one category
 * @param candidates    item ids or exact titles to choose from
 * @param decoding      {@code guided} (the default) or {@code free}
 */
public record RecommendationRequest(
        String dataset,
        String userId,
        List<String> history,
        Integer count,
        String instruction,
        List<String> include,
        List<String> exclude,
        CategoryShare categoryShare,
        List<String> candidates,
        String decoding) {

    public static final int DEFAULT_COUNT = 10;
    public static final int MAX_COUNT = 50;
    public static final int MAX_HISTORY = 200;
    public static final int MAX_INSTRUCTION = 2_000;
    public static final int MAX_CATEGORIES = 50;
    public static final int MAX_CANDIDATES = 1_000;

    /** Exactly one of {@code atLeast}, {@code atMost}, {@code about}: a fraction of the list between 0 and 1. */
    public record CategoryShare(String category, Double atLeast, Double atMost, Double about) {
    }
}
