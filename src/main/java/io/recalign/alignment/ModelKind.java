package io.recalign.alignment;

/** How a registered model came about. */
public enum ModelKind {
    /** A given checkpoint (a Hugging Face directory) that others were fine-tuned from. */
    BASE,
    /** Supervised fine-tuning on an instruction set (method §4). */
    SFT,
    /** Reinforcement-learning alignment of an SFT model (method §5). */
    RL
}
