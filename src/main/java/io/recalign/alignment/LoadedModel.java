package io.recalign.alignment;

import io.recalign.llm.LlamaModel;
import io.recalign.llm.TextTokenizer;

/** A registered model in memory, with its tokenizer; the caller closes it. */
public record LoadedModel(RegisteredModel info, LlamaModel model, TextTokenizer tokenizer) implements AutoCloseable {

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            tokenizer.close();
        }
    }
}
