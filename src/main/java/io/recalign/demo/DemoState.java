package io.recalign.demo;

/**
 * What the demo dataset has so far, as read from the catalog, the teacher store, the instruction sets,
 * the model registry and the stored evaluations; {@link #next} decides what the pipeline does next.
 *
 * @param datasetExists    the demo dataset is stored
 * @param teacherId        its active teacher, or null
 * @param instructionSetId its latest instruction set, or null
 * @param sftModelId       its newest READY SFT model, or null
 * @param rlModelId        the newest READY RL model trained from that SFT model, or null
 * @param teacherEvaluated the active teacher has a stored evaluation
 * @param sftEvaluated     the SFT model has a stored free-decoding evaluation
 * @param rlEvaluated      the RL model has a stored free-decoding evaluation
 * @param activeModelId    the model the dataset serves, or null
 */
record DemoState(boolean datasetExists, Long teacherId, Long instructionSetId, Long sftModelId, Long rlModelId,
        boolean teacherEvaluated, boolean sftEvaluated, boolean rlEvaluated, Long activeModelId) {

    /** A database without the demo dataset. */
    static final DemoState EMPTY = new DemoState(false, null, null, null, null, false, false, false, null);

    /**
     * The first stage whose result is missing. A dataset that serves a model is done, whoever activated
     * it: the pipeline never changes what an administrator chose.
     */
    DemoStage next() {
        if (!datasetExists) {
            return DemoStage.DATASET;
        }
        if (activeModelId != null) {
            return DemoStage.DONE;
        }
        if (teacherId == null) {
            return DemoStage.TEACHER;
        }
        if (instructionSetId == null) {
            return DemoStage.INSTRUCTIONS;
        }
        if (sftModelId == null) {
            return DemoStage.SFT;
        }
        if (rlModelId == null) {
            return DemoStage.RL;
        }
        if (!teacherEvaluated) {
            return DemoStage.EVALUATE_TEACHER;
        }
        if (!sftEvaluated) {
            return DemoStage.EVALUATE_SFT;
        }
        if (!rlEvaluated) {
            return DemoStage.EVALUATE_RL;
        }
        return DemoStage.ACTIVATE;
    }
}
