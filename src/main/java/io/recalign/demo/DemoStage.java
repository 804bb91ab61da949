package io.recalign.demo;

/**
 * The stages of the demo pipeline in order. Job stages run as jobs of the named type (in the service's
 * queue, or in the foreground of {@code demo}); the others are quick steps the pipeline does itself.
 */
enum DemoStage {
    DATASET(null, "create the demo dataset"),
    TEACHER("teacher", "train the teacher"),
    INSTRUCTIONS(null, "build the instruction set"),
    SFT("sft", "fine-tune the language model (SFT)"),
    RL("rl", "align it with reinforcement learning (PPO)"),
    EVALUATE_TEACHER("evaluation", "evaluate the teacher"),
    EVALUATE_SFT("evaluation", "evaluate the SFT model"),
    EVALUATE_RL("evaluation", "evaluate the RL model"),
    ACTIVATE(null, "activate the RL model"),
    DONE(null, "done");

    private final String jobType;
    private final String description;

    DemoStage(String jobType, String description) {
        this.jobType = jobType;
        this.description = description;
    }

    /** The job type that runs this stage, or null for a step the pipeline does itself. */
    String jobType() {
        return jobType;
    }

    boolean isJob() {
        return jobType != null;
    }

    String description() {
        return description;
    }

    /** 1-based position among the stages that do work ({@link #DONE} excluded). */
    int number() {
        return ordinal() + 1;
    }

    /** Stages that do work. */
    static int count() {
        return DONE.ordinal();
    }
}
