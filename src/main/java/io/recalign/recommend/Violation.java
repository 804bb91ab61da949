package io.recalign.recommend;

/** One breach of a request by a free answer: its type ({@link Type#label}) and what exactly. */
public record Violation(String type, String detail) {

    enum Type {
        NON_EXISTENT("non_existent"),
        REPEAT("repeat"),
        IN_HISTORY("in_history"),
        WRONG_COUNT("wrong_count"),
        INCLUDE("include"),
        EXCLUDE("exclude"),
        CATEGORY_SHARE("category_share"),
        CANDIDATES("candidates");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    static Violation of(Type type, String detail) {
        return new Violation(type.label(), detail);
    }
}
