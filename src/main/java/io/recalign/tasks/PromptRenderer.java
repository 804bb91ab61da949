package io.recalign.tasks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The one renderer of prompts, shared by instruction building, evaluation, the RL stage and serving. It
 * depends on nothing but the catalog words it is given.
 */
public final class PromptRenderer {

    /** The prompt shows at most this many of the latest history titles. */
    public static final int HISTORY_WINDOW = 10;

    private static final String ARROW = " \u2192 ";

    private PromptRenderer() {
    }

    /** The fixed (test and serving) wording. */
    public static String render(TaskInput input) {
        return render(input, Wording.FIXED);
    }

    /** A training paraphrase drawn from {@code rng}. */
    public static String render(TaskInput input, RandomGenerator rng) {
        return render(input, Wording.random(input.family(), rng));
    }

    public static String render(TaskInput input, Wording wording) {
        TaskFamily family = input.family();
        if (wording.template() >= templateCount(family) || wording.phrasing() >= phrasingCount(family)) {
            throw new IllegalArgumentException("no wording " + wording + " for task " + family.code());
        }
        Map<String, String> slots = new HashMap<>();
        slots.put("intention", "");
        if (input instanceof TaskInput.SeqRec seqRec) {
            putList(slots, seqRec.history(), seqRec.count());
        } else if (input instanceof TaskInput.SeqRecCandidates withCandidates) {
            putList(slots, withCandidates.history(), withCandidates.count());
            slots.put("candidates", quotedList(withCandidates.candidates()));
        } else if (input instanceof TaskInput.PersonalControl control) {
            putList(slots, control.history(), control.count());
            slots.put("intention", intention(control.intention(), wording.phrasing()) + " ");
        } else if (input instanceof TaskInput.ControlRec controlRec) {
            slots.put("n_items", items(controlRec.count()));
            slots.put("intention", intention(controlRec.intention(), wording.phrasing()) + " ");
        } else if (input instanceof TaskInput.CategoryQuery query) {
            slots.put("title", PromptFrame.oneLine(query.title()));
        } else if (input instanceof TaskInput.CategoryRate rate) {
            putList(slots, rate.history(), rate.count());
            slots.put("rule", rule(rate.kind(), wording.phrasing(), rate.category(), rate.k(), rate.count(),
                    rate.phrasing()));
        } else if (input instanceof TaskInput.ItemCount itemCount) {
            putList(slots, itemCount.history(), itemCount.count());
        } else {
            throw new IllegalArgumentException("unsupported task input " + input.getClass().getSimpleName());
        }
        return assemble(family, wording.template(), slots);
    }

    /**
     * A serving request in the trained wording: the task whose template fits its controls (share before
     * include before exclude; no history → ControlRec), the other controls and the neutralised free-text
     * instruction as extra sentences in its intention slot.
     */
    public static String render(ControlledRequest request) {
        List<String> sentences = new ArrayList<>();
        request.include().forEach(category -> sentences.add(intention(Intention.like(category), 0)));
        request.exclude().forEach(category -> sentences.add(intention(Intention.avoid(category), 0)));
        String freeText = PromptFrame.neutralise(request.instruction());
        if (!freeText.isEmpty()) {
            sentences.add(freeText);
        }
        Map<String, String> slots = new HashMap<>();
        slots.put("n_items", items(request.count()));
        String shareRule = request.share() == null ? null : rule(request.share().kind(), 0,
                request.share().category(), request.share().kind().countFor(request.share().fraction(),
                        request.count()), request.count(), TaskInput.SharePhrasing.PERCENT);
        TaskFamily family;
        if (request.history().isEmpty()) {
            family = TaskFamily.CONTROL_NO_HISTORY;
            addIfPresent(sentences, shareRule);
        } else {
            putList(slots, request.history(), request.count());
            if (!request.candidates().isEmpty()) {
                family = TaskFamily.SEQ_REC_CANDIDATES;
                slots.put("candidates", quotedList(request.candidates()));
                addIfPresent(sentences, shareRule);
            } else if (shareRule != null) {
                family = request.share().kind().family();
                slots.put("rule", shareRule);
            } else if (!request.include().isEmpty()) {
                family = TaskFamily.CONTROL_IN;
            } else if (!request.exclude().isEmpty()) {
                family = TaskFamily.CONTROL_OUT;
            } else {
                family = request.count() <= HISTORY_WINDOW ? TaskFamily.SEQ_REC : TaskFamily.ITEM_COUNT;
            }
        }
        slots.put("intention", sentences.isEmpty() ? "" : String.join(" ", sentences) + " ");
        return assemble(family, 0, slots);
    }

    /**
     * How the prompts of the families begin in the fixed wording, the one serving uses: the frame and the
     * test template up to its first slot, once each (families may open alike). Every such prompt
     * starts with one of these texts (whose last word may tokenise differently once the slot's text follows).
     */
    public static List<String> fixedOpenings() {
        return Arrays.stream(TaskFamily.values()).map(family -> {
            String template = Templates.templates(family).get(0);
            return PromptFrame.opening(family.description(), template.substring(0, template.indexOf('{')));
        }).distinct().toList();
    }

    /** Number of instruction templates of a family (template 0 is the test one). */
    public static int templateCount(TaskFamily family) {
        return Templates.templateCount(family);
    }

    /** Number of intention or share-rule phrasings of a family (1 where it has neither). */
    public static int phrasingCount(TaskFamily family) {
        return Templates.phrasingCount(family);
    }

    /** A history as the prompt writes it: the last ten titles, quoted, joined by arrows. */
    public static String historyText(List<String> titles) {
        return quoted(titles.subList(Math.max(0, titles.size() - HISTORY_WINDOW), titles.size()), ARROW);
    }

    /** "30%" or "3": how a share of k items in a list of {@code count} is said. */
    static String shareText(int k, int count, TaskInput.SharePhrasing phrasing) {
        return phrasing == TaskInput.SharePhrasing.COUNT
                ? Integer.toString(k)
                : Math.round(100.0 * k / count) + "%";
    }

    private static String assemble(TaskFamily family, int template, Map<String, String> slots) {
        String instruction = Templates.fill(Templates.templates(family).get(template), slots).strip();
        return PromptFrame.assemble(family.description(), instruction);
    }

    private static void putList(Map<String, String> slots, List<String> history, int count) {
        slots.put("history", historyText(history));
        slots.put("n_items", items(count));
    }

    private static String intention(Intention intention, int phrasing) {
        String template = Templates.intentions(intention.polarity()).get(phrasing);
        return Templates.fill(template, Map.of("category", PromptFrame.oneLine(intention.category())));
    }

    private static String rule(RateKind kind, int phrasing, String category, int k, int count,
                               TaskInput.SharePhrasing sharePhrasing) {
        return Templates.fill(Templates.rules(kind).get(phrasing), Map.of(
                "category", PromptFrame.oneLine(category),
                "share", shareText(k, count, sharePhrasing),
                "count", Integer.toString(count)));
    }

    private static String items(int count) {
        return count == 1 ? "1 item" : count + " items";
    }

    private static String quotedList(List<String> titles) {
        return quoted(titles, ", ");
    }

    private static String quoted(List<String> titles, String separator) {
        return titles.stream()
                .map(title -> "'" + PromptFrame.oneLine(title) + "'")
                .collect(Collectors.joining(separator));
    }

    private static void addIfPresent(List<String> sentences, String sentence) {
        if (sentence != null) {
            sentences.add(sentence);
        }
    }
}
