package io.recalign.tasks;

import io.recalign.llm.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The answer format ({@code 1. title\n2. title}, then end of sequence) in one tokenizer's tokens. The
 * pieces are encoded one by one: the marker before item n ("1." for the first, a line break and "n."
 * after), each title with the space that follows its marker, the end-of-sequence token. Guided decoding
 * writes exactly these pieces; {@link #text} turns any generated tokens back into answer text.
 */
public final class ListFormat {

    private final TextTokenizer tokenizer;
    private final int endOfSequence;
    private final int[][] markers;
    /** "n." without the line break: where an answer is cut when the tokenizer cannot write line breaks. */
    private final int[][] bareMarkers;
    private final boolean writesLineBreaks;

    public ListFormat(TextTokenizer tokenizer, int endOfSequence, int maxCount) {
        this.tokenizer = tokenizer;
        this.endOfSequence = endOfSequence;
        this.markers = new int[maxCount][];
        this.bareMarkers = new int[maxCount][];
        for (int position = 0; position < maxCount; position++) {
            String number = (position + 1) + ".";
            bareMarkers[position] = tokenizer.encode(number);
            markers[position] = position == 0 ? bareMarkers[position] : tokenizer.encode("\n" + number);
            if (markers[position].length == 0) {
                throw new IllegalArgumentException("the tokenizer writes nothing for the list marker '" + number + "'");
            }
        }
        this.writesLineBreaks = tokenizer.decode(tokenizer.encode("a\nb")).contains("\n");
    }

    int maxCount() {
        return markers.length;
    }

    public int endOfSequence() {
        return endOfSequence;
    }

    /** Tokens before the title at {@code position} (0-based). */
    int[] marker(int position) {
        return markers[position];
    }

    /** A title's tokens as they follow its marker. */
    int[] title(String title) {
        return tokenizer.encode(" " + title);
    }

    /** Whether {@code tokens} decode back to exactly {@code title}: only such titles can be generated. */
    boolean writes(int[] tokens, String title) {
        return tokens.length > 0 && tokenizer.decode(tokens).strip().equals(title);
    }

    /** Most tokens a guided answer of {@code count} items can take, end of sequence included. */
    public int budget(int count, int longestTitle) {
        int total = 1;
        for (int position = 0; position < count; position++) {
            total += markers[position].length + longestTitle;
        }
        return total;
    }

    /**
     * The answer text of generated tokens. A tokenizer without line breaks (a word-level one) decodes a
     * list onto one line with spaced-out digits, so its answer is cut at each "n." marker and written
     * again as "n. title" lines.
     */
    public String text(int[] tokens) {
        if (writesLineBreaks) {
            return tokenizer.decode(tokens);
        }
        List<String> lines = new ArrayList<>();
        String number = null;
        int start = 0;
        for (int at = 0; at <= tokens.length; ) {
            int marker = at < tokens.length ? markerAt(tokens, at) : -1;
            if (marker >= 0 || at == tokens.length) {
                String text = tokenizer.decode(Arrays.copyOfRange(tokens, start, at)).strip();
                if (number != null || !text.isEmpty()) {
                    lines.add(number == null ? text : (number + ". " + text).strip());
                }
                if (marker < 0) {
                    break;
                }
                number = Integer.toString(marker + 1);
                at += bareMarkers[marker].length;
                start = at;
            } else {
                at++;
            }
        }
        return String.join("\n", lines);
    }

    /** The position (0-based) whose "n." marker starts at {@code at}, the longest match, or -1. */
    private int markerAt(int[] tokens, int at) {
        int found = -1;
        for (int position = 0; position < bareMarkers.length; position++) {
            int[] marker = bareMarkers[position];
            if (at + marker.length <= tokens.length && Arrays.equals(tokens, at, at + marker.length, marker, 0, marker.length)
                    && (found < 0 || marker.length > bareMarkers[found].length)) {
                found = position;
            }
        }
        return found;
    }
}
