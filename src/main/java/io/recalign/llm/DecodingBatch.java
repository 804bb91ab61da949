package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Sequences decoded together, one token each per step, that join and leave between steps (continuous
 * batching): joiners are prefilled together and their keys and values copied into the running cache, and a
 * sequence leaves on its last token. So a short answer never waits for a long one, and a prompt that arrives
 * while others decode starts at the next step instead of after them.
 *
 * <p>All rows share the cache's time axis: a row's tokens fill the slots from its own start to the cache's
 * length (right-aligned when it joins) and attention masks the slots before its start, and the padding gap
 * after a prompt prefix that came from a {@link PrefixCache}. Positions count each row's own tokens, so a
 * row decodes as it would alone. When rows join or leave, the cache is rebuilt with the remaining rows and
 * without the leading slots none of them uses.
 *
 * <p>One thread drives a batch, with gradient recording off during each call; its arrays are freed when the
 * rows leave and by {@link #close}.
 */
public final class DecodingBatch implements AutoCloseable {

    /** One sequence of the batch: its settings, the tokens chosen so far and, once it ended, its result. */
    public static final class Sequence {
        private final int id;
        private final int promptLength;
        private final GenerationSettings settings;
        private final int[] generated;
        private int count;
        private int start;        // first cache slot holding its tokens
        private int cachedTokens; // leading prompt tokens copied from the prefix cache
        private int gap;          // padding slots between those and the rest of its prompt (masked)
        private float[] logits;  // (V) its next token's logits
        private Generation result;

        private Sequence(int id, int promptLength, GenerationSettings settings) {
            this.id = id;
            this.promptLength = promptLength;
            this.settings = settings;
            this.generated = new int[settings.maxNewTokens()];
        }

        /** Its index in joining order, counted from 0 for each batch; the processor and listener get it. */
        public int id() {
            return id;
        }

        /** Leading prompt tokens whose keys and values came from the prefix cache instead of the prefill. */
        public int cachedTokens() {
            return cachedTokens;
        }

        /** The generation, once it ended; null before. */
        public Generation result() {
            return result;
        }

        /** Cache slots it may still fill, at most: one per token still to choose, and the last one chosen. */
        private int headroom() {
            return settings.maxNewTokens() - count;
        }
    }

    private final LlamaModel model;
    private final LlamaConfig config;
    private final PrefixCache prefixes;                     // null: every prefill starts from the first token
    private final List<Sequence> rows = new ArrayList<>();  // in cache row order
    private KvCache cache;                                  // null while no row runs
    private int joined;

    public DecodingBatch(LlamaModel model) {
        this(model, null);
    }

    /** @param prefixes openings whose keys and values joiners' prompts may start from; null for none */
    public DecodingBatch(LlamaModel model, PrefixCache prefixes) {
        this.model = model;
        this.config = model.config();
        this.prefixes = prefixes;
    }

    /** Sequences running. */
    public int size() {
        return rows.size();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /**
     * Prefills {@code prompts} together (left-padded, padding masked) and adds them to the batch; their first
     * tokens are chosen by the next {@link #step}.
     *
     * @param settings one per prompt
     * @return the new sequences, in the order of the prompts
     */
    public List<Sequence> join(List<int[]> prompts, List<GenerationSettings> settings) {
        if (prompts.isEmpty() || prompts.size() != settings.size()) {
            throw new IllegalArgumentException("no prompt to generate from, or not one settings per prompt");
        }
        for (int i = 0; i < prompts.size(); i++) {
            validate(prompts.get(i), settings.get(i));
        }
        return NoGrad.call(() -> prefill(prompts, settings));
    }

    /** Drops sequences whose answers nobody waits for any more; they get no result. */
    public void leave(Collection<Sequence> leaving) {
        if (!leaving.isEmpty()) {
            rebuild(rows.stream().filter(row -> !leaving.contains(row)).toList(), List.of(), null);
        }
    }

    /**
     * Chooses the next token of every sequence; those that end with it (a stop token, or their token budget
     * spent) leave the batch; the others are fed their token, which yields their next logits.
     *
     * @return the sequences that ended, in row order, each with its {@link Sequence#result}
     */
    public List<Sequence> step() {
        List<Sequence> ended = new ArrayList<>();
        for (Sequence row : rows) {
            choose(row);
            if (row.result != null) {
                ended.add(row);
            }
        }
        if (!ended.isEmpty()) {
            rebuild(rows.stream().filter(row -> row.result == null).toList(), List.of(), null);
        }
        if (!rows.isEmpty()) {
            NoGrad.run(this::feedChosenTokens);
        }
        return ended;
    }

    @Override
    public void close() {
        rows.clear();
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }

    private void validate(int[] prompt, GenerationSettings settings) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        model.checkTokens(prompt);
        if (prompt.length + settings.maxNewTokens() > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("a prompt of " + prompt.length + " tokens plus " + settings.maxNewTokens()
                    + " new tokens exceeds the model's context of " + config.maxPositionEmbeddings());
        }
    }

    /**
     * One forward pass over the prompts, right-aligned after the cached prefix they all start with (if
     * any): a row's slots are the prefix, then the padding that aligns it (masked, a gap), then the rest of
     * its prompt; without a prefix the padding leads and the row starts after it.
     */
    private List<Sequence> prefill(List<int[]> prompts, List<GenerationSettings> settings) {
        int batch = prompts.size();
        PrefixCache.Match prefix = prefixes == null ? null : prefixes.match(prompts);
        int cached = prefix == null ? 0 : prefix.length();
        int restLength = prompts.stream().mapToInt(p -> p.length - cached).max().orElseThrow();
        int slots = cached + restLength;
        boolean padded = prompts.stream().anyMatch(prompt -> prompt.length - cached != restLength);
        boolean[][] validKeys = padded ? new boolean[batch][slots] : null;
        long[] ids = new long[batch * restLength];
        long[] positions = new long[batch * restLength];
        List<Sequence> sequences = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            int[] prompt = prompts.get(b);
            int pad = restLength - (prompt.length - cached);
            for (int t = 0; t < restLength; t++) {
                ids[b * restLength + t] = t < pad ? config.padTokenId() : prompt[cached + t - pad];
                positions[b * restLength + t] = cached + Math.max(0, t - pad);
            }
            if (padded) {
                Arrays.fill(validKeys[b], 0, cached, true);
                Arrays.fill(validKeys[b], cached + pad, slots, true);
            }
            Sequence sequence = new Sequence(joined++, prompt.length, settings.get(b));
            sequence.cachedTokens = cached;
            if (cached == 0) {
                sequence.start = pad;
            } else {
                sequence.gap = pad;
            }
            sequences.add(sequence);
        }
        // into an empty batch the prefill cache becomes the batch's, sized for the answers; else it is copied in
        boolean adopt = rows.isEmpty();
        int headroom = adopt ? sequences.stream().mapToInt(Sequence::headroom).max().orElseThrow() : 0;
        KvCache prefilled = new KvCache(model.parentManager(), config, batch, slots + headroom);
        try (NDManager step = model.parentManager().newSubManager()) {
            if (prefix != null) {
                prefilled.fillPrefix(prefix.cache(), cached);
            }
            NDArray hidden = model.hidden(step.create(ids, new Shape(batch, restLength)),
                    step.create(positions, new Shape(batch, restLength)), slots - 1,
                    AttentionMask.build(step, validKeys, restLength, cached, config.groupSize()), prefilled, step); // (B, R, E)
            NDArray last = Ops.slice(hidden, new long[] {0, restLength - 1, 0},
                    new long[] {batch, restLength, config.hiddenSize()}, step);                                     // (B, 1, E)
            distribute(model.logits(last).toFloatArray(), sequences);                                               // (B·V)
        } catch (RuntimeException e) {
            prefilled.close();
            throw e;
        }
        if (adopt) {
            cache = prefilled;
            rows.addAll(sequences);
        } else {
            try (prefilled) {
                rebuild(rows, sequences, prefilled);
            }
        }
        return sequences;
    }

    private void choose(Sequence row) {
        GenerationSettings settings = row.settings;
        if (settings.logitsProcessor() != null) {
            settings.logitsProcessor().process(row.id, Arrays.copyOf(row.generated, row.count), row.logits);
        }
        int token = settings.sampler().sample(row.logits);
        row.generated[row.count++] = token;
        if (settings.listener() != null) {
            settings.listener().onToken(row.id, token);
        }
        boolean stopped = settings.stopTokens().contains(token);
        if (stopped || row.count == settings.maxNewTokens()) {
            row.result = new Generation(Arrays.copyOf(row.generated, row.count),
                    stopped ? Generation.FinishReason.STOP_TOKEN : Generation.FinishReason.LENGTH);
            row.logits = null;
        }
    }

    /** One forward step over each row's last chosen token. */
    private void feedChosenTokens() {
        int batch = rows.size();
        int past = cache.length();
        long[] ids = new long[batch];
        long[] positions = new long[batch];
        int maxPosition = 0;
        boolean masked = false;
        for (int b = 0; b < batch; b++) {
            Sequence row = rows.get(b);
            ids[b] = row.generated[row.count - 1];
            positions[b] = row.promptLength + row.count - 1;
            maxPosition = Math.max(maxPosition, (int) positions[b]);
            masked |= row.start > 0 || row.gap > 0;
        }
        boolean[][] validKeys = masked ? new boolean[batch][past + 1] : null;
        for (int b = 0; masked && b < batch; b++) {
            Sequence row = rows.get(b);
            Arrays.fill(validKeys[b], row.start, past + 1, true);
            int gapStart = row.start + row.cachedTokens;
            Arrays.fill(validKeys[b], gapStart, gapStart + row.gap, false);
        }
        try (NDManager step = model.parentManager().newSubManager()) {
            NDArray hidden = model.hidden(step.create(ids, new Shape(batch, 1)), step.create(positions, new Shape(batch, 1)),
                    maxPosition, AttentionMask.build(step, validKeys, 1, past, config.groupSize()), cache, step); // (B, 1, E)
            distribute(model.logits(hidden).toFloatArray(), rows);                                              // (B·V)
        }
    }

    private void distribute(float[] logits, List<Sequence> sequences) {
        int vocab = config.vocabSize();
        for (int b = 0; b < sequences.size(); b++) {
            sequences.get(b).logits = Arrays.copyOfRange(logits, b * vocab, (b + 1) * vocab);
        }
    }

    /**
     * Replaces the cache with one holding {@code kept} (rows of the current cache, in order) and then
     * {@code joiners} (the rows of {@code prefilled}), each right-aligned to the one with the most tokens, so
     * no leading slot is unused, with room for every row's remaining tokens.
     */
    private void rebuild(List<Sequence> kept, List<Sequence> joiners, KvCache prefilled) {
        List<Sequence> all = new ArrayList<>(kept);
        all.addAll(joiners);
        KvCache[] sources = new KvCache[all.size()];
        int[] sourceRows = new int[all.size()];
        int length = 0;
        int headroom = 0;
        for (int i = 0; i < all.size(); i++) {
            boolean joiner = i >= kept.size();
            sources[i] = joiner ? prefilled : cache;
            sourceRows[i] = joiner ? i - kept.size() : rows.indexOf(all.get(i));
            length = Math.max(length, sources[i].length() - all.get(i).start);
            headroom = Math.max(headroom, all.get(i).headroom());
        }
        KvCache rebuilt = all.isEmpty() ? null : new KvCache(model.parentManager(), config, all.size(), length + headroom);
        for (int i = 0; i < all.size(); i++) {
            Sequence row = all.get(i);
            int start = length - (sources[i].length() - row.start);
            rebuilt.copyRow(sources[i], sourceRows[i], row.start, i, start);
            row.start = start;
        }
        if (rebuilt != null) {
            rebuilt.advance(length);
        }
        if (cache != null) {
            cache.close();
        }
        cache = rebuilt;
        rows.clear();
        rows.addAll(all);
    }
}
