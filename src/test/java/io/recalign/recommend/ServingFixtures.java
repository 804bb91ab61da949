package io.recalign.recommend;

import ai.djl.ndarray.NDManager;
import io.recalign.alignment.LoadedModel;
import io.recalign.alignment.ModelKind;
import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.ModelStatus;
import io.recalign.alignment.RegisteredModel;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.Checkpoints;
import io.recalign.llm.LlamaConfig;
import io.recalign.llm.LlamaModel;
import io.recalign.llm.TextTokenizer;
import io.recalign.llm.TokenizerBuilder;
import io.recalign.tasks.ControlledRequest;
import io.recalign.tasks.GuidedFixtures.TokenizerJson;
import io.recalign.tasks.PromptRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Tiny randomly initialised models for the serving tests, over the catalogs and tokenizers of
 * {@link io.recalign.tasks.GuidedFixtures}.
 */
final class ServingFixtures {

    private ServingFixtures() {
    }

    /** A tiny Llama (pad 0, bos 1, eos 2) over a vocabulary. */
    static LlamaConfig tinyConfig(int vocabSize) {
        return new LlamaConfig("llama", vocabSize, 32, 64, 1, 2, 1, 16, 1024, 1e-5, false, false, false, false,
                LlamaConfig.Rope.standard(10_000), 1, List.of(2), 0, LlamaConfig.FLOAT32);
    }

    /** A randomly initialised model served as registry model {@code id} of the dataset. */
    static ServingModel servingModel(long id, String dataset, TokenizerJson tokenizer, NDManager manager, long seed) {
        return new ServingModel(loadedModel(id, dataset, tokenizer, manager, seed));
    }

    /** A randomly initialised model loaded as registry model {@code id} of the dataset. */
    static LoadedModel loadedModel(long id, String dataset, TokenizerJson tokenizer, NDManager manager, long seed) {
        LlamaModel model = LlamaModel.create(tinyConfig(tokenizer.vocabSize()), manager, seed);
        RegisteredModel info = new RegisteredModel(id, ModelKind.SFT, null, dataset, null, "models/" + id, "0", ModelStatus.READY,
                true, Map.of(), Map.of(), null, Instant.now());
        return new LoadedModel(info, model, tokenizer.open());
    }

    /**
     * A randomly initialised model with a word-level tokenizer over the dataset, stored in the registry as a
     * READY SFT model of the dataset (its files written under {@code folder} first).
     */
    static RegisteredModel registerRandomModel(ModelRegistry registry, CatalogSnapshot snapshot, Path folder,
            NDManager manager, long seed) throws IOException {
        List<String> titles = snapshot.items().stream().map(CatalogSnapshot.Item::title).toList();
        TokenizerBuilder.BuiltTokenizer tokenizer = new TokenizerBuilder()
                .corpus(List.of(PromptRenderer.render(ControlledRequest.of(titles.subList(0, 3), 10))))
                .titles(titles).categories(snapshot.categories()).build();
        Path tokenizerFile = folder.resolve("tokenizer-" + seed + ".json");
        tokenizer.write(tokenizerFile);
        Path directory = folder.resolve("model-" + seed);
        try (LlamaModel model = LlamaModel.create(tinyConfig(tokenizer.vocabSize()), manager, seed)) {
            Checkpoints.export(model, tokenizerFile, directory);
        }
        RegisteredModel registered = registry.register(new ModelRegistry.NewModel(ModelKind.SFT, null,
                snapshot.dataset(), null, Map.of(), null));
        return registry.finish(registered.id(), directory, Map.of());
    }
}
