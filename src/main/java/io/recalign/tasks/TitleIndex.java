package io.recalign.tasks;

import java.util.ArrayList;
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
 * a banded Levenshtein that stops once the band exceeds the bound. Immutable and thread-safe.
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
        Map<String, List<Integer>>[][] building = new Map[longest + 1][parts];
        List<Integer> shorts = new ArrayList<>();
        for (int item = 0; item < this.titles.length; item++) {
            String title = this.titles[item];
            if (title.length() < parts) {
                shorts.add(item);
                continue;
            }
            for (int part = 0; part < parts; part++) {
                int start = segmentStart(title.length(), part);
                String segment = title.substring(start, segmentStart(title.length(), part + 1));
                if (building[title.length()][part] == null) {
                    building[title.length()][part] = new HashMap<>();
                }
                building[title.length()][part].computeIfAbsent(segment, s -> new ArrayList<>()).add(item);
            }
        }
        this.segments = new Map[longest + 1][parts];
        for (int length = 0; length <= longest; length++) {
            for (int part = 0; part < parts; part++) {
                if (building[length][part] != null) {
                    Map<String, int[]> frozen = new HashMap<>(building[length][part].size() * 2);
                    building[length][part].forEach((segment, items) ->
                            frozen.put(segment, items.stream().mapToInt(Integer::intValue).toArray()));
                    this.segments[length][part] = frozen;
                }
            }
        }
        this.shortTitles = shorts.stream().mapToInt(Integer::intValue).toArray();
    }

    public int size() {
        return titles.length;
    }

    public String title(int item) {
        return titles[item];
    }

    /** The catalog item a generated title stands for, if any. */
    public Optional<Match> match(String title) {
        Integer item = exact.get(title);
        if (item != null) {
            return Optional.of(new Match(item, 0));
        }
        int bestItem = -1;
        int bestDistance = maxDistance + 1;
        // candidates come in ascending order, so a later one must be strictly nearer to win a tie
        for (int candidate : candidates(title)) {
            int distance = boundedDistance(title, titles[candidate], bestDistance - 1);
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

    /** Items that may lie within maxDistance of the query, each once, in ascending order. */
    private int[] candidates(String query) {
        int parts = maxDistance + 1;
        int[] found = new int[16];
        int count = 0;
        int longest = segments.length - 1;
        for (int length = Math.max(parts, query.length() - maxDistance);
             length <= Math.min(longest, query.length() + maxDistance); length++) {
            for (int part = 0; part < parts; part++) {
                Map<String, int[]> index = segments[length][part];
                if (index == null) {
                    continue;
                }
                int start = segmentStart(length, part);
                int segmentLength = segmentStart(length, part + 1) - start;
                int from = Math.max(0, start - maxDistance);
                int to = Math.min(query.length() - segmentLength, start + maxDistance);
                for (int at = from; at <= to; at++) {
                    int[] items = index.get(query.substring(at, at + segmentLength));
                    if (items != null) {
                        if (count + items.length > found.length) {
                            found = Arrays.copyOf(found, Math.max(found.length * 2, count + items.length));
                        }
                        System.arraycopy(items, 0, found, count, items.length);
                        count += items.length;
                    }
                }
            }
        }
        if (query.length() <= 2 * maxDistance) {
            for (int item : shortTitles) {
                if (Math.abs(titles[item].length() - query.length()) <= maxDistance) {
                    if (count == found.length) {
                        found = Arrays.copyOf(found, found.length * 2);
                    }
                    found[count++] = item;
                }
            }
        }
        return Arrays.stream(found, 0, count).sorted().distinct().toArray();
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
        if (Math.abs(a.length() - b.length()) > bound) {
            return bound + 1;
        }
        int over = bound + 1;
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
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
}
