package io.recalign.tasks;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The instruction-task families of the method (§3). The codes are stable: they name tasks in stored
 * instruction sets, evaluation results and the admin API.
 */
public enum TaskFamily {
    /** I0: plain next-item recommendation from a history. */
    SEQ_REC("seqrec", "sequential recommendation.", true),
    /** I0 with a shown candidate list: the label items plus random negatives, ten in all. */
    SEQ_REC_CANDIDATES("seqrec-candidates", "sequential recommendation from a candidate list.", true),
    /** I1, PersonalControlRec +C: a history and a liked category. */
    CONTROL_IN("control-in", "personalised recommendation that follows a category preference.", true),
    /** I1, PersonalControlRec -C: a history and an unwanted category. */
    CONTROL_OUT("control-out", "personalised recommendation that follows a category preference.", true),
    /** I3, ControlRec: an intention alone, no history. */
    CONTROL_NO_HISTORY("controlrec", "recommendation from a stated preference alone.", false),
    /** I3 reversed: the category of a named item. */
    CATEGORY_QUERY("category-query", "name the category of an item.", false),
    /** I2, PersonalCategoryRate LP: at most a share of the list in a category. */
    RATE_AT_MOST("rate-lp", "personalised recommendation with a category share.", true),
    /** I2, PersonalCategoryRate MP: at least a share of the list in a category. */
    RATE_AT_LEAST("rate-mp", "personalised recommendation with a category share.", true),
    /** I2, PersonalCategoryRate EP: about a share of the list in a category. */
    RATE_ABOUT("rate-ep", "personalised recommendation with a category share.", true),
    /** Count control: exactly N items. */
    ITEM_COUNT("item-count", "sequential recommendation of an exact number of items.", true);

    private final String code;
    private final String description;
    private final boolean needsHistory;

    TaskFamily(String code, String description, boolean needsHistory) {
        this.code = code;
        this.description = description;
        this.needsHistory = needsHistory;
    }

    /** Stable lower-case name used in storage and APIs. */
    public String code() {
        return code;
    }

    /** The short task description line of the prompt (after "Task: "). */
    public String description() {
        return description;
    }

    public boolean needsHistory() {
        return needsHistory;
    }

    /** Whether the answer is a numbered list of titles (every family but CategoryQuery). */
    public boolean answersWithList() {
        return this != CATEGORY_QUERY;
    }

    /** The share rule of a rate family, or null for the others. */
    public RateKind rateKind() {
        return switch (this) {
            case RATE_AT_MOST -> RateKind.AT_MOST;
            case RATE_AT_LEAST -> RateKind.AT_LEAST;
            case RATE_ABOUT -> RateKind.ABOUT;
            default -> null;
        };
    }

    public static TaskFamily fromCode(String code) {
        for (TaskFamily family : values()) {
            if (family.code.equals(code)) {
                return family;
            }
        }
        throw new IllegalArgumentException("unknown task '" + code + "'; known tasks: "
                + Arrays.stream(values()).map(TaskFamily::code).collect(Collectors.joining(", ")));
    }
}
