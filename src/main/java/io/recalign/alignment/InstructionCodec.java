package io.recalign.alignment;

import io.recalign.llm.GenerationSettings;
import io.recalign.llm.LlamaConfig;
import io.recalign.llm.TextTokenizer;
import java.util.Arrays;
import java.util.Set;

/**
 * How a model reads an instruction and writes its answer, the same for training, evaluation and
 * serving: the prompt is the beginning-of-sequence token (unless the model's BOS doubles as its EOS, as
 * in Qwen2) then the prompt text; the answer is the answer text then the end-of-sequence token. Prompt
 * and answer are tokenized separately, so the answer's first token never merges with the prompt's last.
 */
public final class InstructionCodec {

    private final TextTokenizer tokenizer;
    private final LlamaConfig config;
    private final boolean prependBos;

    public InstructionCodec(TextTokenizer tokenizer, LlamaConfig config) {
        this.tokenizer = tokenizer;
        this.config = config;
        this.prependBos = !config.eosTokenIds().contains(config.bosTokenId());
    }

    public static InstructionCodec of(LoadedModel model) {
        return new InstructionCodec(model.tokenizer(), model.model().config());
    }

    /** The ids a model continues from: BOS and the prompt. */
    public int[] prompt(String prompt) {
        int[] text = tokenizer.encode(prompt);
        if (!prependBos) {
            return text;
        }
        int[] ids = new int[text.length + 1];
        ids[0] = config.bosTokenId();
        System.arraycopy(text, 0, ids, 1, text.length);
        return ids;
    }

    /** The ids a model is trained to write after the prompt: the answer and EOS. */
    public int[] answer(String answer) {
        int[] text = tokenizer.encode(answer);
        int[] ids = Arrays.copyOf(text, text.length + 1);
        ids[text.length] = config.eosTokenIds().get(0);
        return ids;
    }

    /** The text of generated ids (special tokens, such as the final EOS, left out). */
    public String text(int[] generated) {
        return tokenizer.decode(generated);
    }

    /** The tokens that end an answer. */
    public Set<Integer> stopTokens() {
        return Set.copyOf(config.eosTokenIds());
    }

    /** Greedy decoding of at most {@code maxNewTokens}, stopping at EOS. */
    public GenerationSettings greedy(int maxNewTokens) {
        return GenerationSettings.greedy(maxNewTokens, stopTokens());
    }
}
