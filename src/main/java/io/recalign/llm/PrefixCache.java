package io.recalign.llm;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys and values of token prefixes that many prompts start with (a prompt frame's fixed opening), each
 * computed once, on first use, and then copied into every prefill whose prompts all start with it, so
 * that the prefill runs over the rest of the prompts only. A key or value depends only on the tokens up
 * to its own, so the first n slots of an entry serve any prompt that shares its first n tokens.
 *
 * <p>Entries are computed on the thread of the batch that first needs them, with its gradient mode off;
 * {@link #close} frees them.
 */
public final class PrefixCache implements AutoCloseable {

    /** A prefix shorter than this saves less prefill than its copy costs. */
    static final int MIN_SHARED = 4;

    /** Slots {@code [0, length)} of an entry's cache, which every prompt of a group starts with. */
    record Match(KvCache cache, int length) {
    }

    private final LlamaModel model;
    private final List<int[]> prefixes;
    private final KvCache[] caches;

    /** @param prefixes token sequences prompts are expected to start with (longer ones save more) */
    public PrefixCache(LlamaModel model, List<int[]> prefixes) {
        this.model = model;
        this.prefixes = new ArrayList<>();
        for (int[] prefix : prefixes) {
            model.checkTokens(prefix);
            this.prefixes.add(prefix.clone());
        }
        this.caches = new KvCache[prefixes.size()];
    }

    /**
     * The entry sharing the most leading tokens with every prompt, up to one token short of the shortest
     * (its last token's logits must come out of the prefill); null when none shares {@link #MIN_SHARED}.
     */
    synchronized Match match(List<int[]> prompts) {
        int best = -1;
        int bestLength = MIN_SHARED - 1;
        for (int entry = 0; entry < prefixes.size(); entry++) {
            int shared = prefixes.get(entry).length;
            for (int[] prompt : prompts) {
                shared = Math.min(shared, Math.min(prompt.length - 1, commonPrefix(prefixes.get(entry), prompt)));
            }
            if (shared > bestLength) {
                best = entry;
                bestLength = shared;
            }
        }
        return best < 0 ? null : new Match(cache(best), bestLength);
    }

    @Override
    public synchronized void close() {
        for (int entry = 0; entry < caches.length; entry++) {
            if (caches[entry] != null) {
                caches[entry].close();
                caches[entry] = null;
            }
        }
    }

    private KvCache cache(int entry) {
        if (caches[entry] == null) {
            int[] prefix = prefixes.get(entry);
            long[] ids = new long[prefix.length];
            long[] positions = new long[prefix.length];
            for (int t = 0; t < prefix.length; t++) {
                ids[t] = prefix[t];
                positions[t] = t;
            }
            KvCache cache = new KvCache(model.parentManager(), model.config(), 1, prefix.length);
            try (NDManager scope = model.parentManager().newSubManager()) {
                NoGrad.run(() -> model.hidden(scope.create(ids, new Shape(1, prefix.length)),
                        scope.create(positions, new Shape(1, prefix.length)), prefix.length - 1,
                        AttentionMask.build(scope, null, prefix.length, 0, model.config().groupSize()), cache, scope));
            } catch (RuntimeException e) {
                cache.close();
                throw e;
            }
            caches[entry] = cache;
        }
        return caches[entry];
    }

    private static int commonPrefix(int[] a, int[] b) {
        int length = 0;
        while (length < a.length && length < b.length && a[length] == b[length]) {
            length++;
        }
        return length;
    }
}
