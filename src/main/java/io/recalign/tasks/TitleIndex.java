package io.recalign.tasks;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Grounds generated titles in the catalog, the one way evaluation, reward and serving do it: the exact
 * title first, else the nearest title within Levenshtein distance {@code maxDistance} (3 by the method),
 * ties going to the lowest item index, else no item.
 *
 * <p>Fast on large catalogs through the pigeonhole filter of PassJoin: split a title into
 * {@code maxDistance + 1} segments; a string within {@code maxDistance} edits keeps one segment intact,
 * shifted by at most {@code maxDistance} positions. Only titles sharing such a segment are verified, with
 * Myers' bit-parallel edit distance (a banded Levenshtein for queries over 64 characters). Immutable and
 * thread-safe.
 */
public final class TitleIndex {

    public static final int METHOD_MAX_DISTANCE = 3;

    private final String[] titles;
    private final int maxDistance;
    private final Map<String, Integer> exact;
    /** segments[length][segment]: segment text → items of that title length holding it there. */
    private final Map<String, int[]>[][] segments;
    /** Titles too short to split into maxDistance + 1 non-empty segments: checked one by one. */
    private final int[] shortTitles;

    /** One grounded title: the item index and its edit distance (0 for an exact match). */
    public record Match(int item, int distance) {
    }

    public TitleIndex(List<String> titles) {
        this(titles, METHOD_MAX_DISTANCE);
    }

    @SuppressWarnings("unchecked")
    public TitleIndex(List<String> titles, int maxDistance) {
        if (maxDistance < 0) {
            throw new IllegalArgumentException("maxDistance must not be negative, was " + maxDistance);
        }
        this.titles = titles.toArray(String[]::new);
        this.maxDistance = maxDistance;
        this.exact = new HashMap<>(this.titles.length * 2);
        int longest = 0;
        for (int item = 0; item < this.titles.length; item++) {
            exact.putIfAbsent(this.titles[item], item);
            longest = Math.max(longest, this.titles[item].length());
        }
        int parts = maxDistance + 1;
        Map<String, Postings>[][] building = new Map[longest + 1][parts];
        Postings shorts = new Postings();
        for (int item = 0; item < this.titles.length; item++) {
            String title = this.titles[item];
            if (title.length() < parts) {
                shorts.add(item);
                continue;
            }
            for (int part = 0; part < parts; part++) {
                String segment = title.substring(segmentStart(title.length(), part),
                        segmentStart(title.length(), part + 1));
                if (building[title.length()][part] == null) {
                    building[title.length()][part] = new HashMap<>();
                }
                building[title.length()][part].computeIfAbsent(segment, s -> new Postings()).add(item);
            }
        }
        this.segments = new Map[longest + 1][parts];
        for (int length = 0; length <= longest; length++) {
            for (int part = 0; part < parts; part++) {
                if (building[length][part] != null) {
                    Map<String, int[]> frozen = new HashMap<>(building[length][part].size() * 2);
                    building[length][part].forEach((segment, items) -> frozen.put(segment, items.toArray()));
                    this.segments[length][part] = frozen;
                }
            }
        }
        this.shortTitles = shorts.toArray();
    }

    /** The catalog item a generated title stands for, if any. */
    public Optional<Match> match(String title) {
        Integer item = exact.get(title);
        if (item != null) {
            return Optional.of(new Match(item, 0));
        }
        int bestItem = -1;
        int bestDistance = maxDistance + 1;
        Verifier verifier = new Verifier(title, segments.length);
        // candidates come in ascending order, so a later one must be strictly nearer to win a tie
        for (int candidate : candidates(title)) {
            int distance = verifier.distance(titles[candidate], bestDistance - 1);
            if (distance < bestDistance) {
                bestDistance = distance;
                bestItem = candidate;
            }
        }
        return bestItem < 0 ? Optional.empty() : Optional.of(new Match(bestItem, bestDistance));
    }

    /** Item index of each title, -1 where a title matches nothing. */
    public int[] matchAll(List<String> generated) {
        int[] items = new int[generated.size()];
        for (int i = 0; i < items.length; i++) {
            items[i] = match(generated.get(i)).map(Match::item).orElse(-1);
        }
        return items;
    }

    /**
     * Items that may lie within maxDistance of the query, ascending. Of the segments that survive the
     * edits, the first one (0-based {@code part}) has at most {@code part} edits before it and at most
     * {@code maxDistance - part} after it, which bounds its shift (PassJoin's multi-match-aware
     * selection): 8 probes per title length for distance 3, instead of 7 per segment.
     */
    private int[] candidates(String query) {
        int parts = maxDistance + 1;
        ItemSet found = new ItemSet();
        int longest = segments.length - 1;
        for (int length = Math.max(parts, query.length() - maxDistance);
             length <= Math.min(longest, query.length() + maxDistance); length++) {
            int lengthGap = query.length() - length;
            for (int part = 0; part < parts; part++) {
                Map<String, int[]> index = segments[length][part];
                if (index == null) {
                    continue;
                }
                int start = segmentStart(length, part);
                int segmentLength = segmentStart(length, part + 1) - start;
                int from = start + Math.max(-part, lengthGap - (maxDistance - part));
                int to = start + Math.min(part, lengthGap + (maxDistance - part));
                for (int at = Math.max(0, from); at <= Math.min(query.length() - segmentLength, to); at++) {
                    int[] items = index.get(query.substring(at, at + segmentLength));
                    if (items != null) {
                        for (int item : items) {
                            found.add(item);
                        }
                    }
                }
            }
        }
        if (query.length() <= 2 * maxDistance) {
            for (int item : shortTitles) {
                if (Math.abs(titles[item].length() - query.length()) <= maxDistance) {
                    found.add(item);
                }
            }
        }
        int[] unique = found.toArray();
        Arrays.sort(unique);
        return unique;
    }

    /** Start of segment {@code part} of a title of this length; the last segments take the remainder. */
    private int segmentStart(int length, int part) {
        int parts = maxDistance + 1;
        int base = length / parts;
        int longer = length % parts; // the last `longer` segments are one character longer
        int shorter = parts - longer;
        return part <= shorter ? part * base : shorter * base + (part - shorter) * (base + 1);
    }

    /**
     * Levenshtein distance of a and b if it is at most {@code bound}, else {@code bound + 1}. Only the
     * diagonal band |i - j| <= bound is computed, and the scan stops once a whole row exceeds the bound.
     */
    static int boundedDistance(String a, String b, int bound) {
        return boundedDistance(a, b, bound, new int[2][b.length() + 1]);
    }

    /** As above, computing in two caller-owned rows of at least {@code b.length() + 1} entries. */
    static int boundedDistance(String a, String b, int bound, int[][] rows) {
        if (bound < 0 || Math.abs(a.length() - b.length()) > bound) {
            return bound + 1;
        }
        int over = bound + 1;
        int[] previous = rows[0];
        int[] current = rows[1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j <= bound ? j : over;
        }
        for (int i = 1; i <= a.length(); i++) {
            int from = Math.max(1, i - bound);
            int to = Math.min(b.length(), i + bound);
            current[0] = i <= bound ? i : over;
            if (from > 1) {
                current[from - 1] = over;
            }
            int rowMin = current[0];
            char ca = a.charAt(i - 1);
            for (int j = from; j <= to; j++) {
                int cost = ca == b.charAt(j - 1) ? 0 : 1;
                int value = Math.min(previous[j - 1] + cost, Math.min(previous[j], current[j - 1]) + 1);
                current[j] = Math.min(value, over);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (to < b.length()) {
                current[to + 1] = over;
            }
            if (rowMin > bound) {
                return over;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** A set of item indices: open addressing with linear probing, kept at most half full. */
    private static final class ItemSet {
        private int[] slots = new int[1024];
        private int size;

        ItemSet() {
            Arrays.fill(slots, -1);
        }

        void add(int item) {
            int mask = slots.length - 1;
            int at = (item * 0x9E3779B9) >>> 7 & mask;
            while (slots[at] != -1) {
                if (slots[at] == item) {
                    return;
                }
                at = (at + 1) & mask;
            }
            slots[at] = item;
            if (++size * 2 > slots.length) {
                grow();
            }
        }

        private void grow() {
            int[] old = slots;
            slots = new int[old.length * 2];
            Arrays.fill(slots, -1);
            size = 0;
            for (int item : old) {
                if (item != -1) {
                    add(item);
                }
            }
        }

        int[] toArray() {
            int[] items = new int[size];
            int n = 0;
            for (int item : slots) {
                if (item != -1) {
                    items[n++] = item;
                }
            }
            return items;
        }
    }

    /** A growable list of item indices. */
    private static final class Postings {
        private int[] items = new int[4];
        private int size;

        void add(int item) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = item;
        }

        int[] toArray() {
            return Arrays.copyOf(items, size);
        }
    }

    /**
     * Edit distances from one query to many titles. Queries up to 64 characters use Myers' bit-parallel
     * algorithm (Hyyro's formulation for the global distance): one pass over the title with a few word
     * operations per character. Longer queries use the banded table.
     */
    static final class Verifier {

        private final String query;
        private final long[] asciiMasks = new long[128];
        private final Map<Character, Long> otherMasks = new HashMap<>();
        private final int[][] rows;

        Verifier(String query, int longestTitle) {
            this.query = query;
            this.rows = new int[2][longestTitle + 2];
            if (query.length() <= Long.SIZE) {
                for (int i = 0; i < query.length(); i++) {
                    char c = query.charAt(i);
                    if (c < asciiMasks.length) {
                        asciiMasks[c] |= 1L << i;
                    } else {
                        otherMasks.merge(c, 1L << i, (x, y) -> x | y);
                    }
                }
            }
        }

        /** The distance if it is at most {@code bound}, else {@code bound + 1}. */
        int distance(String title, int bound) {
            int m = query.length();
            if (bound < 0 || Math.abs(m - title.length()) > bound) {
                return bound + 1;
            }
            if (m > Long.SIZE) {
                return boundedDistance(query, title, bound, rows);
            }
            if (m == 0) {
                return title.length();
            }
            long last = 1L << (m - 1);
            long positive = -1L; // vertical deltas +1
            long negative = 0L;  // vertical deltas -1
            int score = m;
            int n = title.length();
            for (int j = 0; j < n; j++) {
                char c = title.charAt(j);
                long equal = c < asciiMasks.length ? asciiMasks[c] : otherMasks.getOrDefault(c, 0L);
                long xv = equal | negative;
                long xh = (((equal & positive) + positive) ^ positive) | equal;
                long horizontalPositive = negative | ~(xh | positive);
                long horizontalNegative = positive & xh;
                if ((horizontalPositive & last) != 0) {
                    score++;
                } else if ((horizontalNegative & last) != 0) {
                    score--;
                }
                if (score - (n - 1 - j) > bound) { // even a decrease at every remaining character is too little
                    return bound + 1;
                }
                horizontalPositive = (horizontalPositive << 1) | 1L; // row 0 of the table grows by one per column
                horizontalNegative <<= 1;
                positive = horizontalNegative | ~(xv | horizontalPositive);
                negative = horizontalPositive & xv;
            }
            return Math.min(score, bound + 1);
        }
    }
}
