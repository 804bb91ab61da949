package io.recalign.tasks;

import java.util.EnumMap;
import java.util.Map;

/**
 * How many examples of each task to build per split. Training examples are drawn with replacement over
 * users (a new random position each time); validation and test take each user at most once, so their
 * counts are capped by the number of users for whom the task applies.
 */
public record InstructionPlan(Map<TaskFamily, Integer> train, Map<TaskFamily, Integer> valid,
                              Map<TaskFamily, Integer> test) {

    public InstructionPlan {
        train = checked(train, Split.TRAIN);
        valid = checked(valid, Split.VALID);
        test = checked(test, Split.TEST);
    }

    /** The same counts for every task. */
    public static InstructionPlan uniform(int train, int valid, int test) {
        Map<TaskFamily, Integer> trainCounts = new EnumMap<>(TaskFamily.class);
        Map<TaskFamily, Integer> validCounts = new EnumMap<>(TaskFamily.class);
        Map<TaskFamily, Integer> testCounts = new EnumMap<>(TaskFamily.class);
        for (TaskFamily family : TaskFamily.values()) {
            trainCounts.put(family, train);
            validCounts.put(family, valid);
            testCounts.put(family, test);
        }
        return new InstructionPlan(trainCounts, validCounts, testCounts);
    }

    public int count(Split split, TaskFamily family) {
        Map<TaskFamily, Integer> counts = switch (split) {
            case TRAIN -> train;
            case VALID -> valid;
            case TEST -> test;
        };
        return counts.getOrDefault(family, 0);
    }

    private static Map<TaskFamily, Integer> checked(Map<TaskFamily, Integer> counts, Split split) {
        if (counts == null) {
            return Map.of();
        }
        counts.forEach((family, count) -> {
            if (family == null || count == null || count < 0) {
                throw new IllegalArgumentException("example counts of split " + split.code()
                        + " must be non-negative, was " + family + "=" + count);
            }
        });
        return Map.copyOf(counts);
    }
}
