package io.recalign.tasks;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The fixed frame of every prompt: the system line, the task description, the one-line instruction and the
 * answer marker, after which the model writes its numbered list:
 *
 * <pre>
 * You are an expert recommender engine.
 * Task: sequential recommendation.
 * Instruction: The user has interacted with ... Recommend the next 10 items ...
 * Answer:
 * </pre>
 *
 * The instruction is always a single line, so nothing inside it can open a new section or a list.
 */
public final class PromptFrame {

    public static final String SYSTEM_LINE = "You are an expert recommender engine.";
    public static final String ANSWER_MARKER = "Answer:";

    private static final String ANSWER_LINE = "\n" + ANSWER_MARKER + "\n";

    /** Chat and end-of-sequence tokens of common tokenizers: </s>, <eos>, <|endoftext|>, [INST], <<SYS>>. */
    private static final Pattern SPECIAL_TOKEN = Pattern.compile(
            "<\\s*\\|[^<>|]{0,40}\\|\\s*>"
                    + "|<\\s*/?\\s*(?:s|eos|bos|pad|unk|sep|cls|mask|eot|endoftext)\\s*>"
                    + "|\\[\\s*/?\\s*INST\\s*]"
                    + "|<<\\s*/?\\s*SYS\\s*>>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FRAME_LABEL = Pattern.compile("(answer|instruction|task)\\s*:",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\u000B\\f\\u0085\\u2028\\u2029]+");
    private static final Pattern LIST_MARK = Pattern.compile("^(?:\\d{1,3}\\s*[.):]|[-*\\u2022]|#+)\\s*");
    private static final Pattern INVISIBLE = Pattern.compile("\\p{Cf}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private PromptFrame() {
    }

    /** The full prompt: frame lines around a task description and a one-line instruction. */
    static String assemble(String description, String instruction) {
        return opening(description, oneLine(instruction)) + ANSWER_LINE;
    }

    /** The frame up to and including the start of the instruction. */
    static String opening(String description, String instructionStart) {
        return SYSTEM_LINE + "\nTask: " + description + "\nInstruction: " + instructionStart;
    }

    /**
     * The answer written after a prompt: everything after its answer-marker line. Because the instruction
     * is a single line, the first marker line is always the frame's own.
     */
    public static String answerOf(String transcript) {
        int at = transcript.indexOf(ANSWER_LINE);
        if (at < 0) {
            throw new IllegalArgumentException("the text holds no '" + ANSWER_MARKER + "' line");
        }
        return transcript.substring(at + ANSWER_LINE.length());
    }

    /**
     * A free-text user instruction made safe to place inside the frame: end-of-sequence and chat tokens
     * removed, line breaks (and the list numbering that follows them) folded into "; ", frame labels such
     * as "Answer:" defused, invisible characters dropped. The words themselves are kept.
     */
    public static String neutralise(String userText) {
        if (userText == null) {
            return "";
        }
        String text = INVISIBLE.matcher(userText).replaceAll("");
        String previous;
        do { // removing one token may join the pieces of another, as in "</<eos>s>"
            previous = text;
            text = SPECIAL_TOKEN.matcher(text).replaceAll(" ");
            text = FRAME_LABEL.matcher(text).replaceAll("$1");
        } while (!text.equals(previous));
        text = Arrays.stream(LINE_BREAKS.split(text))
                .map(line -> LIST_MARK.matcher(line.strip()).replaceFirst("").strip())
                .filter(line -> !line.isEmpty())
                .collect(Collectors.joining("; "));
        text = CONTROL.matcher(text).replaceAll(" ");
        return SPACES.matcher(text).replaceAll(" ").strip();
    }

    /** The text before the first end-of-sequence or chat token, or all of it when it holds none. */
    static String beforeSpecialToken(String text) {
        Matcher matcher = SPECIAL_TOKEN.matcher(text);
        return matcher.find() ? text.substring(0, matcher.start()) : text;
    }

    static boolean holdsSpecialToken(String text) {
        return SPECIAL_TOKEN.matcher(text).find();
    }

    static boolean holdsLineBreak(String text) {
        return LINE_BREAKS.matcher(text).find();
    }

    /** Catalog text (titles, category names) kept verbatim except that it cannot break a line. */
    static String oneLine(String text) {
        return CONTROL.matcher(LINE_BREAKS.matcher(text).replaceAll(" ")).replaceAll(" ");
    }
}
