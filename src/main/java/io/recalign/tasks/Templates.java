package io.recalign.tasks;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wording of every task: instruction templates per family (index 0 is the fixed test template, the
 * rest are training paraphrases; training draws from all of them so that the test wording is known), the
 * twelve intention phrasings and the share rules. Slots: {history}, {intention}, {n_items}, {candidates},
 * {rule}, {title}, {category}, {share}, {count}.
 */
final class Templates {

    private static final String HISTORY_0 = "The user has interacted with the following items in order: {history}. ";
    private static final String HISTORY_1 = "Here is a user's interaction history, oldest first: {history}. ";
    private static final String HISTORY_2 = "A user recently interacted with {history}. ";

    private static final List<String> SEQ_REC = List.of(
            HISTORY_0 + "{intention}Recommend the next {n_items} the user is most likely to interact with.",
            HISTORY_1 + "{intention}Suggest {n_items} this user will probably want next.",
            HISTORY_2 + "{intention}Predict the next {n_items} for this user.");

    private static final List<String> SEQ_REC_CANDIDATES = List.of(
            HISTORY_0 + "{intention}From the candidates {candidates}, pick the {n_items} the user is most likely"
                    + " to interact with next.",
            HISTORY_1 + "{intention}Choose {n_items} the user will probably want next from these candidates:"
                    + " {candidates}.",
            "Candidates: {candidates}. " + HISTORY_2 + "{intention}Which {n_items} from the candidates should"
                    + " come next?");

    private static final List<String> PERSONAL_CONTROL = List.of(
            HISTORY_0 + "{intention}Recommend {n_items} the user will probably like next.",
            "Here is a user's interaction history, oldest first: {history}. The user says: {intention}"
                    + "Suggest {n_items} that respect this wish.",
            "A user recently interacted with {history} and tells you: {intention}Recommend {n_items} accordingly.");

    private static final List<String> CONTROL_NO_HISTORY = List.of(
            "{intention}Recommend {n_items} for me.",
            "A new user without any history says: {intention}Suggest {n_items} for this user.",
            "{intention}Which {n_items} would you recommend?");

    private static final List<String> CATEGORY_QUERY = List.of(
            "What is the category of '{title}'?",
            "Which category does the item '{title}' belong to?",
            "Tell me the category of '{title}'.");

    private static final List<String> CATEGORY_RATE = List.of(
            HISTORY_0 + "{intention}Recommend {n_items} the user will probably like next. {rule}",
            HISTORY_1 + "{intention}Suggest {n_items} for this user. {rule}",
            HISTORY_2 + "{intention}{rule} Recommend {n_items} accordingly.");

    private static final List<String> ITEM_COUNT = List.of(
            HISTORY_0 + "{intention}Recommend exactly {n_items} the user is likely to interact with next.",
            HISTORY_1 + "{intention}List exactly {n_items} this user should interact with next.",
            HISTORY_2 + "{intention}Give exactly {n_items} to recommend next, no more and no fewer.");

    /** Six positive intentions; index 0 is the fixed one. */
    static final List<String> POSITIVE_INTENTIONS = List.of(
            "Please recommend some '{category}' items.",
            "I like '{category}' products.",
            "I'm interested in '{category}'.",
            "I am looking for '{category}' items.",
            "Show me items from the '{category}' category.",
            "I'd enjoy some '{category}' items right now.");

    /** Six negative intentions; index 0 is the fixed one. */
    static final List<String> NEGATIVE_INTENTIONS = List.of(
            "Please exclude any '{category}' item.",
            "I don't like '{category}' products.",
            "Don't recommend me any '{category}' products.",
            "I'm not interested in '{category}'.",
            "Keep '{category}' items out of my recommendations.",
            "I want to avoid the '{category}' category.");

    private static final Map<RateKind, List<String>> RULES = Map.of(
            RateKind.AT_MOST, List.of(
                    "At most {share} of the {count} items should be '{category}' items.",
                    "No more than {share} of the {count} recommendations may be '{category}' items.",
                    "Keep '{category}' items to {share} or fewer of the {count}."),
            RateKind.AT_LEAST, List.of(
                    "At least {share} of the {count} items should be '{category}' items.",
                    "No fewer than {share} of the {count} recommendations should be '{category}' items.",
                    "Make '{category}' items {share} or more of the {count}."),
            RateKind.ABOUT, List.of(
                    "About {share} of the {count} items should be '{category}' items.",
                    "Roughly {share} of the {count} recommendations should be '{category}' items.",
                    "Make '{category}' items approximately {share} of the {count}."));

    private static final Pattern SLOT = Pattern.compile("\\{([a-z_]+)}");

    private Templates() {
    }

    static List<String> templates(TaskFamily family) {
        return switch (family) {
            case SEQ_REC -> SEQ_REC;
            case SEQ_REC_CANDIDATES -> SEQ_REC_CANDIDATES;
            case CONTROL_IN, CONTROL_OUT -> PERSONAL_CONTROL;
            case CONTROL_NO_HISTORY -> CONTROL_NO_HISTORY;
            case CATEGORY_QUERY -> CATEGORY_QUERY;
            case RATE_AT_MOST, RATE_AT_LEAST, RATE_ABOUT -> CATEGORY_RATE;
            case ITEM_COUNT -> ITEM_COUNT;
        };
    }

    static int templateCount(TaskFamily family) {
        return templates(family).size();
    }

    /** How many phrasings of the family's intention or share rule exist (1 where it has neither). */
    static int phrasingCount(TaskFamily family) {
        return switch (family) {
            case CONTROL_IN -> POSITIVE_INTENTIONS.size();
            case CONTROL_OUT -> NEGATIVE_INTENTIONS.size();
            case CONTROL_NO_HISTORY -> Math.min(POSITIVE_INTENTIONS.size(), NEGATIVE_INTENTIONS.size());
            case RATE_AT_MOST, RATE_AT_LEAST, RATE_ABOUT -> RULES.get(family.rateKind()).size();
            default -> 1;
        };
    }

    static List<String> intentions(Polarity polarity) {
        return polarity == Polarity.POSITIVE ? POSITIVE_INTENTIONS : NEGATIVE_INTENTIONS;
    }

    static List<String> rules(RateKind kind) {
        return RULES.get(kind);
    }

    /** Fills every {slot} in one pass, so that slot values (titles may hold braces) are never re-read. */
    static String fill(String template, Map<String, String> slots) {
        Matcher matcher = SLOT.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = slots.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for slot {" + matcher.group(1) + "} in: " + template);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
