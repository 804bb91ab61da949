/**
 * The causal language model: a Llama-family decoder (Llama 2/3, Qwen2/2.5, Mistral without sliding
 * window) on DJL's PyTorch engine, with nothing of recommendations or the database in it.
 *
 * <ul>
 *   <li>{@link io.recalign.llm.LlamaConfig} reads config.json; {@link io.recalign.llm.LlamaConfig#defaultCpu}
 *       is the from-scratch model sized for CPU.</li>
 *   <li>{@link io.recalign.llm.Checkpoints} loads and exports Hugging Face checkpoint directories through
 *       {@link io.recalign.llm.Safetensors}; parameters keep their Hugging Face names.</li>
 *   <li>{@link io.recalign.llm.TextTokenizer} runs a tokenizer.json; {@link io.recalign.llm.TokenizerBuilder}
 *       writes one for a model trained from scratch.</li>
 *   <li>{@link io.recalign.llm.Generator} continues prompts (batched, KV cache, samplers, logits processors,
 *       streaming).</li>
 *   <li>{@link io.recalign.llm.LlamaModel#loss}, {@link io.recalign.llm.LlamaModel#scoreContinuations},
 *       {@link io.recalign.llm.AdamW} and {@link io.recalign.llm.LanguageModelTrainer} are what fine-tuning
 *       builds on.</li>
 * </ul>
 */
package io.recalign.llm;
