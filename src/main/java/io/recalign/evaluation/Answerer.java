package io.recalign.evaluation;

import java.util.List;

/**
 * Whatever is evaluated: it answers test prompts with answer text (a numbered list of titles), which
 * the evaluator parses and grounds the same way for every answerer.
 */
public interface Answerer {

    /**
     * One answer text per case, in order; null for a case this answerer cannot answer (guided decoding
     * whose constraints no list of writable titles meets), which the evaluator leaves out.
     */
    List<String> answer(List<TestCase> cases);

    /** How many cases to hand over at once (the evaluator reports progress and checks for a stop between batches). */
    int batchSize();
}
