package io.recalign.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer format, both ways: titles to the numbered list the model is trained to write
 * ({@code 1. title\n2. title}), and any answer text back to its ordered titles. Evaluation, the RL reward
 * and serving all parse with this class. {@code parse(format(titles))} returns {@code titles} exactly.
 */
public final class AnswerFormat {

    /**
     * "1.", "2 )", "3." before a title, also "1 0 ." as word-level tokenizers decode "10."; "1.5 Men" is
     * not numbering.
     */
    private static final Pattern NUMBERING = Pattern.compile("^\\d(?: ?\\d){0,2}\\s*[.)](?!\\d)\\s*");
    private static final Pattern BULLET = Pattern.compile("^[-*\\u2022]\\s+");
    private static final Pattern LINES = Pattern.compile("\\R");
    private static final Pattern CATEGORY_ANSWER = Pattern.compile("^The category of '(.+)' is '(.+)'\\.?$");
    private static final String[][] QUOTE_PAIRS = {
            {"'", "'"}, {"\"", "\""}, {"`", "`"}, {"\u201C", "\u201D"}, {"\u2018", "\u2019"}, {"\u00AB", "\u00BB"}};

    private AnswerFormat() {
    }

    /** Titles as a numbered list, one per line, no trailing newline (end of sequence is the tokenizer's). */
    public static String format(List<String> titles) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < titles.size(); i++) {
            String title = titles.get(i);
            checkFormattable(title);
            if (i > 0) {
                out.append('\n');
            }
            // a title that is itself wrapped in quotes gets one more pair, which parse removes
            out.append(i + 1).append(". ").append(isQuoted(title) ? "\"" + title + "\"" : title);
        }
        return out.toString();
    }

    /**
     * The titles of an answer, in order, repeats kept. Tolerates what models get wrong: "1.title",
     * "2 ) title", missing numbers, bullets, blank lines, stray spaces, quotes around titles, and anything
     * after an end-of-sequence token.
     */
    public static List<String> parse(String answer) {
        List<String> titles = new ArrayList<>();
        for (String line : LINES.split(PromptFrame.beforeSpecialToken(answer), -1)) {
            String title = line.strip();
            Matcher numbering = NUMBERING.matcher(title);
            if (numbering.lookingAt()) {
                title = title.substring(numbering.end());
            } else {
                title = BULLET.matcher(title).replaceFirst("");
            }
            title = unquote(title.strip()).strip();
            if (!title.isEmpty()) {
                titles.add(title);
            }
        }
        return titles;
    }

    /** Whether the answer is a non-empty list written exactly as {@link #format} writes it. */
    public static boolean isWellFormed(String answer) {
        List<String> titles = parse(answer);
        return !titles.isEmpty() && format(titles).equals(answer);
    }

    /** The CategoryQuery answer: "The category of 'T' is 'C'.". */
    public static String categoryAnswer(String title, String category) {
        checkFormattable(title);
        checkFormattable(category);
        return "The category of '" + title + "' is '" + category + "'.";
    }

    /** The category named by a CategoryQuery answer, if the answer has that shape. */
    public static Optional<String> parseCategoryAnswer(String answer) {
        Matcher matcher = CATEGORY_ANSWER.matcher(PromptFrame.beforeSpecialToken(answer).strip());
        return matcher.matches() ? Optional.of(matcher.group(2)) : Optional.empty();
    }

    private static void checkFormattable(String title) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("an answer title must not be blank");
        }
        if (!title.equals(title.strip()) || PromptFrame.holdsLineBreak(title)
                || PromptFrame.holdsSpecialToken(title)) {
            throw new IllegalArgumentException("title cannot be written in an answer (surrounding space, line"
                    + " break or end-of-sequence text): '" + title + "'");
        }
    }

    private static boolean isQuoted(String text) {
        for (String[] pair : QUOTE_PAIRS) {
            if (text.length() >= 2 && text.startsWith(pair[0]) && text.endsWith(pair[1])) {
                return true;
            }
        }
        return false;
    }

    private static String unquote(String text) {
        return isQuoted(text) ? text.substring(1, text.length() - 1) : text;
    }
}
