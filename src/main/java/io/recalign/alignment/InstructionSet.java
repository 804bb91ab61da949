package io.recalign.alignment;

import java.time.Instant;
import java.util.Map;

/**
 * A stored, immutable set of teacher-labelled instruction examples.
 *
 * @param teacherId the teacher that labelled it (null once that teacher was deleted)
 * @param plan      requested examples per split and task code, e.g. {@code plan.get("train").get("seqrec")}
 * @param counts    examples stored per split and task code (fewer than planned where a task rarely applies)
 */
public record InstructionSet(long id, String dataset, Long teacherId, long seed,
        Map<String, Map<String, Integer>> plan, Map<String, Map<String, Integer>> counts, Instant createdAt) {

    /** How many examples of a split the set holds. */
    public int total(String split) {
        return counts.getOrDefault(split, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
    }
}
