package io.recalign.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates a catalog whose sequences a sequential recommender can learn: every user prefers one or
 * two categories, and after an item users often move on to one of its few fixed successors (items
 * that share its main category). Popularity alone explains only part of it, so a teacher that reads
 * the order of a history beats a popularity baseline by a clear margin.
 */
final class SyntheticCatalog {

    static final List<String> CATEGORIES = List.of("Action", "Adventure", "Comedy", "Drama", "Fantasy",
            "Horror", "Mystery", "Romance", "Sci-Fi", "Documentary");
    private static final List<String> ADJECTIVES = List.of("Silent", "Crimson", "Golden", "Hidden", "Broken",
            "Electric", "Frozen", "Midnight", "Lonely", "Savage", "Gentle", "Burning", "Wandering", "Secret",
            "Distant", "Restless", "Hollow", "Scarlet", "Velvet", "Iron", "Paper", "Wild", "Quiet", "Bright",
            "Forgotten", "Endless", "Shattered", "Luminous", "Crooked", "Sunken", "Northern", "Last", "First",
            "Little", "Painted", "Stolen", "Haunted", "Lucky", "Bitter", "Final");
    private static final List<String> NOUNS = List.of("Harbor", "Empire", "Garden", "River", "Machine",
            "Kingdom", "Letter", "Mountain", "Station", "Horizon", "Carnival", "Orchard", "Frontier", "Mirror",
            "Lighthouse", "Circus", "Planet", "Summer", "Winter", "Desert", "Island", "Forest", "Highway",
            "Engine", "Melody", "Shadow", "Voyage", "Castle", "Canyon", "Compass", "Signal", "Tide", "Crown",
            "Whisper", "Storm", "Galaxy", "Village", "Bridge", "Detective", "Dragon");
    private static final int FIRST_YEAR = 1950;
    private static final int YEARS = 75;

    /** Successors per item, and how often a user follows one instead of browsing their categories. */
    private static final int SUCCESSORS = 3;
    private static final double FOLLOW_SUCCESSOR = 0.6;
    private static final double BROWSE_FAVOURITES = 0.3;

    private SyntheticCatalog() {
    }

    static SourceCatalog generate(SyntheticSpec spec) {
        Random random = new Random(spec.seed());
        int itemCount = spec.items();
        int[][] itemCategories = new int[itemCount][];
        double[] popularity = new double[itemCount];
        SourceCatalog catalog = new SourceCatalog();
        Set<String> titles = new HashSet<>();
        for (int i = 0; i < itemCount; i++) {
            itemCategories[i] = drawCategories(random);
            // Zipf-like popularity, so a popularity baseline is a fair opponent.
            popularity[i] = 1.0 / Math.pow(1 + random.nextInt(itemCount), 0.8);
            List<String> names = new ArrayList<>();
            for (int c : itemCategories[i]) {
                names.add(CATEGORIES.get(c));
            }
            catalog.addItem("i" + (i + 1), drawTitle(random, titles), names);
        }
        List<List<Integer>> byCategory = new ArrayList<>();
        for (int c = 0; c < CATEGORIES.size(); c++) {
            byCategory.add(new ArrayList<>());
        }
        for (int i = 0; i < itemCount; i++) {
            for (int c : itemCategories[i]) {
                byCategory.get(c).add(i);
            }
        }
        int[][] successors = new int[itemCount][SUCCESSORS];
        for (int i = 0; i < itemCount; i++) {
            List<Integer> pool = byCategory.get(itemCategories[i][0]);
            for (int s = 0; s < SUCCESSORS; s++) {
                int next;
                do {
                    next = pool.size() > SUCCESSORS ? pool.get(random.nextInt(pool.size())) : random.nextInt(itemCount);
                } while (next == i);
                successors[i][s] = next;
            }
        }

        List<Integer> allItems = new ArrayList<>(itemCount);
        for (int i = 0; i < itemCount; i++) {
            allItems.add(i);
        }
        long start = 1_600_000_000L;
        for (int u = 0; u < spec.users(); u++) {
            int[] favourites = drawFavourites(random);
            int length = Math.min(itemCount / 2, Math.max(DataProtocol.DEFAULT_MIN_COUNT,
                    spec.interactionsPerUser() / 2 + random.nextInt(spec.interactionsPerUser() + 1)));
            Set<Integer> seen = new HashSet<>();
            long time = start + random.nextInt(365 * 86_400);
            int current = -1;
            for (int step = 0; step < length; step++) {
                int next = nextItem(random, current, favourites, successors, byCategory, allItems, popularity, seen);
                seen.add(next);
                time += 60 + random.nextInt(86_400);
                catalog.addInteraction("u" + (u + 1), next, time, Float.NaN);
                current = next;
            }
        }
        return catalog;
    }

    private static int nextItem(Random random, int current, int[] favourites, int[][] successors,
            List<List<Integer>> byCategory, List<Integer> allItems, double[] popularity, Set<Integer> seen) {
        double roll = random.nextDouble();
        if (current >= 0 && roll < FOLLOW_SUCCESSOR) {
            for (int s = 0; s < SUCCESSORS; s++) {
                // Earlier successors are the stronger habit: take the first unseen one most of the time.
                int candidate = successors[current][s];
                if (!seen.contains(candidate) && random.nextDouble() < 0.8) {
                    return candidate;
                }
            }
        }
        if (roll < FOLLOW_SUCCESSOR + BROWSE_FAVOURITES) {
            List<Integer> pool = byCategory.get(favourites[random.nextInt(favourites.length)]);
            int candidate = drawByPopularity(random, pool, popularity, seen);
            if (candidate >= 0) {
                return candidate;
            }
        }
        return drawByPopularity(random, allItems, popularity, seen);
    }

    /** An unseen item of the pool drawn in proportion to popularity, or -1 when all are seen. */
    private static int drawByPopularity(Random random, List<Integer> pool, double[] popularity, Set<Integer> seen) {
        double total = 0;
        for (int item : pool) {
            total += seen.contains(item) ? 0 : popularity[item];
        }
        if (total == 0) {
            return -1;
        }
        double target = random.nextDouble() * total;
        int last = -1;
        for (int item : pool) {
            if (seen.contains(item)) {
                continue;
            }
            last = item;
            target -= popularity[item];
            if (target < 0) {
                return item;
            }
        }
        return last;
    }

    /** One to three distinct categories; the first is the item's main category. */
    private static int[] drawCategories(Random random) {
        int count = 1 + (random.nextDouble() < 0.5 ? 1 : 0) + (random.nextDouble() < 0.2 ? 1 : 0);
        return distinct(random, count);
    }

    private static int[] drawFavourites(Random random) {
        return distinct(random, random.nextDouble() < 0.5 ? 1 : 2);
    }

    private static int[] distinct(Random random, int count) {
        int[] picked = new int[count];
        for (int k = 0; k < count; k++) {
            int candidate;
            boolean repeated;
            do {
                candidate = random.nextInt(CATEGORIES.size());
                repeated = false;
                for (int j = 0; j < k; j++) {
                    repeated |= picked[j] == candidate;
                }
            } while (repeated);
            picked[k] = candidate;
        }
        return picked;
    }

    private static String drawTitle(Random random, Set<String> used) {
        String title;
        do {
            title = ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + " " + NOUNS.get(random.nextInt(NOUNS.size()))
                    + " (" + (FIRST_YEAR + random.nextInt(YEARS)) + ")";
        } while (!used.add(title));
        return title;
    }
}
