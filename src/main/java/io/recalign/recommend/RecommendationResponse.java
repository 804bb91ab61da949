package io.recalign.recommend;

import java.util.List;

/**
 * The answer to a {@link RecommendationRequest}.
 *
 * @param items      catalog items, best first
 * @param answer     the model's raw text (for the teacher, its list in the answer format)
 * @param model      the model that answered
 * @param source     {@code llm} or {@code teacher}
 * @param violations every breach of the request found in the answer (free decoding)
 * @param timing     where the time went
 */
public record RecommendationResponse(List<Item> items, String answer, Model model, String source,
                                     List<Violation> violations, Timing timing) {

    public static final String SOURCE_LLM = "llm";
    public static final String SOURCE_TEACHER = "teacher";

    public record Item(String id, String title, List<String> categories, int rank) {
    }

    /** @param id the registry id (null for the teacher); @param kind BASE, SFT, RL or TEACHER */
    public record Model(Long id, String kind) {
    }

    public record Timing(double queueMs, double prefillMs, double decodeMs, double totalMs) {
    }
}
