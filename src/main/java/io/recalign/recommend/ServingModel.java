package io.recalign.recommend;

import io.recalign.alignment.InstructionCodec;
import io.recalign.alignment.LoadedModel;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.DecodingBatch;
import io.recalign.llm.LlamaConfig;
import io.recalign.llm.PrefixCache;
import io.recalign.tasks.ListFormat;
import io.recalign.tasks.PromptRenderer;
import io.recalign.tasks.TitleTrie;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry model as the service runs it: continuous batches that start prompts from the cached keys and
 * values of the prompt frame's openings, list format and title tree (built once per dataset), and a lease
 * count so that a replaced model closes only after the batches that use it end.
 */
final class ServingModel {

    private final LoadedModel loaded;
    private final InstructionCodec codec;
    private final ListFormat format;
    private final PrefixCache openings;
    private final Map<String, TitleTrie> tries = new ConcurrentHashMap<>();
    private int leases;
    private boolean retired;
    private boolean closed;

    ServingModel(LoadedModel loaded) {
        this.loaded = loaded;
        this.codec = InstructionCodec.of(loaded);
        this.format = new ListFormat(loaded.tokenizer(), config().eosTokenIds().get(0), RecommendationRequest.MAX_COUNT);
        // every request's prompt starts with one of these: their keys and values are computed once, not per prefill
        this.openings = new PrefixCache(loaded.model(), PromptRenderer.fixedOpenings().stream().map(codec::prompt).toList());
    }

    long id() {
        return loaded.info().id();
    }

    RecommendationResponse.Model describe() {
        return new RecommendationResponse.Model(loaded.info().id(), loaded.info().kind().name());
    }

    LlamaConfig config() {
        return loaded.model().config();
    }

    /** A new, empty continuous batch on this model (close it when it drained). */
    DecodingBatch newBatch() {
        return new DecodingBatch(loaded.model(), openings);
    }

    ListFormat format() {
        return format;
    }

    /** The prompt's tokens exactly as models are trained on them. */
    int[] promptTokens(String prompt) {
        return codec.prompt(prompt);
    }

    /** The catalog's title tree for this model's tokenizer, built on first use. */
    TitleTrie trie(CatalogSnapshot snapshot) {
        return tries.computeIfAbsent(snapshot.dataset(), dataset -> TitleTrie.build(snapshot, format));
    }

    /** Whether a swap replaced this model: batches on it take no new requests. */
    synchronized boolean retired() {
        return retired;
    }

    /** Takes a lease for one batch; false once the model was retired and closed. */
    synchronized boolean lease() {
        if (closed) {
            return false;
        }
        leases++;
        return true;
    }

    synchronized void release() {
        leases--;
        if (retired && leases == 0) {
            close();
        }
    }

    /** No new work comes to this model; it closes when its last batch ends (now, if none runs). */
    synchronized void retire() {
        retired = true;
        if (leases == 0) {
            close();
        }
    }

    private void close() {
        if (!closed) {
            closed = true;
            openings.close();
            loaded.close();
        }
    }
}
