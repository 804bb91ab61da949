package io.recalign.recommend;

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
import io.recalign.tasks.PromptRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ai.djl.ndarray.NDManager;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Small catalogs, tokenizers (word-level with one token per title, and a byte-level BPE whose titles
 * span many sub-word tokens) and tiny randomly initialised models for the serving tests.
 */
final class ServingFixtures {

    static final List<String> CATEGORIES = List.of("Comedy", "Drama", "Horror", "Sci-Fi", "Romance");
    private static final List<String> WORDS = List.of("Silent", "Crimson", "Golden", "Hidden", "Heat", "Wave",
            "River", "Machine", "Garden", "Empire", "Storm", "Island", "Letter", "Night", "Day", "Star");

    private ServingFixtures() {
    }

    /**
     * A catalog of {@code items} items in one or two categories; some titles are prefixes of others
     * ("Heat", "Heat Wave") and several share their first words, so title trees branch deep. Users
     * have random sequences.
     */
    static CatalogSnapshot catalog(String dataset, int items, int users, long seed) {
        Random random = new Random(seed);
        Set<String> titles = new HashSet<>();
        List<CatalogSnapshot.Item> catalog = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            String title;
            if (i % 9 == 1) {
                title = catalog.get(i - 1).title() + " " + WORDS.get(random.nextInt(WORDS.size())); // extends a title
            } else {
                do {
                    title = WORDS.get(random.nextInt(WORDS.size())) + " " + WORDS.get(random.nextInt(WORDS.size()))
                            + (random.nextBoolean() ? " (" + (1950 + random.nextInt(70)) + ")" : "");
                } while (titles.contains(title));
            }
            if (!titles.add(title)) {
                title = title + " " + i;
                titles.add(title);
            }
            int first = random.nextInt(CATEGORIES.size());
            int[] categories = random.nextInt(3) == 0
                    ? new int[] {first, (first + 1 + random.nextInt(CATEGORIES.size() - 1)) % CATEGORIES.size()}
                    : new int[] {first};
            catalog.add(new CatalogSnapshot.Item("i" + (i + 1), title, categories));
        }
        List<CatalogSnapshot.UserSequence> sequences = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int[] sequence = random.ints(0, items).distinct().limit(4 + random.nextInt(12)).toArray();
            sequences.add(new CatalogSnapshot.UserSequence("u" + (u + 1), sequence));
        }
        return new CatalogSnapshot(dataset, catalog, CATEGORIES, sequences);
    }

    /** A tokenizer.json and the size of its vocabulary. */
    record TokenizerJson(String json, int vocabSize) {
        TextTokenizer open() {
            return TextTokenizer.fromJson(json);
        }
    }

    /** Word-level tokenizer: one token per title and category, the prompt words, digits. */
    static TokenizerJson wordLevel(CatalogSnapshot snapshot) {
        List<String> titles = snapshot.items().stream().map(CatalogSnapshot.Item::title).toList();
        List<String> corpus = List.of(
                PromptRenderer.render(ControlledRequest.of(titles.subList(0, 3), 10)),
                PromptRenderer.render(new ControlledRequest(titles.subList(0, 3), 10, List.of("Comedy"), List.of("Horror"),
                        new ControlledRequest.CategoryShare("Drama", io.recalign.tasks.RateKind.AT_LEAST, 0.3), null, "")),
                "1. 2. 3.");
        TokenizerBuilder.BuiltTokenizer built = new TokenizerBuilder()
                .corpus(corpus).titles(titles).categories(snapshot.categories()).build();
        return new TokenizerJson(built.json(), built.vocabSize());
    }

    /**
     * A byte-level BPE tokenizer (the scheme of Llama 3, Qwen2, GPT-2) with {@code merges} merges learnt
     * from the titles: titles become several tokens, and tokens are shared between titles.
     */
    static TokenizerJson byteLevelBpe(CatalogSnapshot snapshot, int merges) {
        Map<Integer, Character> byteChars = byteChars();
        LinkedHashMap<String, Integer> vocab = new LinkedHashMap<>();
        for (String special : List.of("<pad>", "<s>", "</s>")) {
            vocab.put(special, vocab.size());
        }
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(byteChars.get(b)), vocab.size());
        }
        Pattern split = Pattern.compile(" ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+");
        Map<List<String>, Integer> words = new HashMap<>();
        for (CatalogSnapshot.Item item : snapshot.items()) {
            Matcher matcher = split.matcher(" " + item.title());
            while (matcher.find()) {
                List<String> symbols = new ArrayList<>();
                for (byte b : matcher.group().getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    symbols.add(String.valueOf(byteChars.get(b & 0xff)));
                }
                words.merge(symbols, 1, Integer::sum);
            }
        }
        List<String> mergeRules = new ArrayList<>();
        for (int m = 0; m < merges; m++) {
            Map<String, Integer> pairs = new HashMap<>();
            words.forEach((symbols, frequency) -> {
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    pairs.merge(symbols.get(i) + " " + symbols.get(i + 1), frequency, Integer::sum);
                }
            });
            String best = pairs.entrySet().stream()
                    .max(Map.Entry.<String, Integer>comparingByValue()
                            .thenComparing(Map.Entry::getKey, java.util.Comparator.reverseOrder()))
                    .map(Map.Entry::getKey).orElse(null);
            if (best == null) {
                break;
            }
            mergeRules.add(best);
            String[] parts = best.split(" ");
            vocab.putIfAbsent(parts[0] + parts[1], vocab.size());
            Map<List<String>, Integer> merged = new HashMap<>();
            words.forEach((symbols, frequency) -> {
                List<String> out = new ArrayList<>();
                for (int i = 0; i < symbols.size(); i++) {
                    if (i + 1 < symbols.size() && symbols.get(i).equals(parts[0]) && symbols.get(i + 1).equals(parts[1])) {
                        out.add(parts[0] + parts[1]);
                        i++;
                    } else {
                        out.add(symbols.get(i));
                    }
                }
                merged.merge(out, frequency, Integer::sum);
            });
            words = merged;
        }
        return new TokenizerJson(bpeJson(vocab, mergeRules), vocab.size());
    }

    private static String bpeJson(Map<String, Integer> vocab, List<String> merges) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : List.of("<pad>", "<s>", "</s>")) {
            added.addObject().put("id", vocab.get(special)).put("content", special).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocabulary = model.putObject("vocab");
        vocab.forEach(vocabulary::put);
        ArrayNode rules = model.putArray("merges");
        merges.forEach(rules::add);
        return json.writeValueAsString(root);
    }

    /** GPT-2's reversible map from bytes to printable characters. */
    private static Map<Integer, Character> byteChars() {
        Map<Integer, Character> chars = new HashMap<>();
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            chars.put(b, (char) (printable ? b : next++));
        }
        return chars;
    }

    /** A tiny Llama (pad 0, bos 1, eos 2) over a vocabulary. */
    static LlamaConfig tinyConfig(int vocabSize) {
        return new LlamaConfig("llama", vocabSize, 32, 64, 1, 2, 1, 16, 1024, 1e-5, false, false, false, false,
                LlamaConfig.Rope.standard(10_000), 1, List.of(2), 0, LlamaConfig.FLOAT32);
    }

    /** A randomly initialised model served as registry model {@code id} of the dataset. */
    static ServingModel servingModel(long id, String dataset, TokenizerJson tokenizer, NDManager manager, long seed) {
        LlamaModel model = LlamaModel.create(tinyConfig(tokenizer.vocabSize()), manager, seed);
        RegisteredModel info = new RegisteredModel(id, ModelKind.SFT, null, dataset, null, "models/" + id, "0", ModelStatus.READY,
                true, Map.of(), Map.of(), null, Instant.now());
        return new ServingModel(new LoadedModel(info, model, tokenizer.open()));
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
