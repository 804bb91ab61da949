package io.recalign.llm;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Creates the tokenizer.json of a model trained from scratch: a word-level vocabulary of the
 * (lower-cased) words of a text corpus, the digits 0-9 (numbers are split into digits), and one
 * added token per category name and per item title, matched verbatim so a title is a single token
 * that decodes back to its exact text. Ids 0-3 are {@code <pad> <s> </s> <unk>}, as
 * {@link LlamaConfig#defaultCpu} expects; id 4 is the line break, kept as a token because decoding
 * joins words with spaces and would otherwise lose the lines of a numbered list.
 */
public final class TokenizerBuilder {

    public static final String PAD = "<pad>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final String UNK = "<unk>";
    /** A line break is a token of its own, so that decoded answers keep their one-title-per-line layout. */
    public static final String NEWLINE = "\n";
    private static final List<String> SPECIALS = List.of(PAD, BOS, EOS, UNK);

    /** The tokenizer.json text and the ids of the added entries. */
    public record BuiltTokenizer(String json, int vocabSize, Map<String, Integer> titleIds, Map<String, Integer> categoryIds) {
        public BuiltTokenizer {
            titleIds = Collections.unmodifiableMap(new LinkedHashMap<>(titleIds));
            categoryIds = Collections.unmodifiableMap(new LinkedHashMap<>(categoryIds));
        }

        public void write(Path file) {
            try {
                Path parent = file.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Path partial = Files.createTempFile(parent, file.getFileName().toString(), ".partial");
                Files.writeString(partial, json);
                Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private final List<String> corpus = new ArrayList<>();
    private final List<String> titles = new ArrayList<>();
    private final List<String> categories = new ArrayList<>();
    private int minWordCount = 1;

    /** Texts whose words (instruction templates, answers) the vocabulary must cover. */
    public TokenizerBuilder corpus(Collection<String> texts) {
        corpus.addAll(texts);
        return this;
    }

    public TokenizerBuilder titles(Collection<String> itemTitles) {
        titles.addAll(itemTitles);
        return this;
    }

    public TokenizerBuilder categories(Collection<String> names) {
        categories.addAll(names);
        return this;
    }

    /** Words seen fewer times in the corpus become unknown (default 1: keep every word). */
    public TokenizerBuilder minWordCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("minimum word count must be at least 1, got " + count);
        }
        minWordCount = count;
        return this;
    }

    public BuiltTokenizer build() {
        LinkedHashMap<String, Integer> vocabulary = new LinkedHashMap<>();
        SPECIALS.forEach(token -> vocabulary.put(token, vocabulary.size()));
        List<String> added = new ArrayList<>(SPECIALS);
        vocabulary.put(NEWLINE, vocabulary.size());
        added.add(NEWLINE);
        Map<String, Integer> categoryIds = addVerbatim(categories, "category name", vocabulary, added);
        Map<String, Integer> titleIds = addVerbatim(titles, "title", vocabulary, added);
        for (char digit = '0'; digit <= '9'; digit++) {
            vocabulary.putIfAbsent(String.valueOf(digit), vocabulary.size());
        }
        // the words are cut by the very normaliser and pre-tokeniser the final tokenizer runs:
        // a tokenizer knowing only the added tokens reports every other word as unknown, with its span
        Map<String, Integer> counts = new HashMap<>();
        try (HuggingFaceTokenizer splitter = tokenizer(json(vocabulary, added))) {
            int unknown = vocabulary.get(UNK);
            for (String text : corpus) {
                Encoding encoding = splitter.encode(text, false, false);
                long[] ids = encoding.getIds();
                CharSpan[] spans = encoding.getCharTokenSpans();
                for (int i = 0; i < ids.length; i++) {
                    if (ids[i] == unknown) {
                        String word = text.substring(spans[i].getStart(), spans[i].getEnd()).toLowerCase(Locale.ROOT);
                        counts.merge(word, 1, Integer::sum);
                    }
                }
            }
        }
        counts.entrySet().stream()
                .filter(entry -> entry.getValue() >= minWordCount)
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> vocabulary.putIfAbsent(entry.getKey(), vocabulary.size()));
        return new BuiltTokenizer(json(vocabulary, added), vocabulary.size(), titleIds, categoryIds);
    }

    private static Map<String, Integer> addVerbatim(List<String> entries, String what, Map<String, Integer> vocabulary, List<String> added) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (String entry : entries) {
            if (entry == null || entry.isBlank() || !entry.equals(entry.strip())) {
                throw new IllegalArgumentException("a " + what + " must be non-blank without surrounding spaces: \"" + entry + "\"");
            }
            if (!vocabulary.containsKey(entry)) {
                vocabulary.put(entry, vocabulary.size());
                added.add(entry);
            }
            ids.put(entry, vocabulary.get(entry));
        }
        return ids;
    }

    private static String json(Map<String, Integer> vocabulary, List<String> added) {
        ObjectNode root = Safetensors.JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode addedTokens = root.putArray("added_tokens");
        for (String token : added) {
            addedTokens.addObject()
                    .put("id", vocabulary.get(token))
                    .put("content", token)
                    .put("single_word", false)
                    .put("lstrip", false)
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", SPECIALS.contains(token));
        }
        root.putObject("normalizer").put("type", "Lowercase");
        ObjectNode preTokenizer = root.putObject("pre_tokenizer");
        preTokenizer.put("type", "Sequence");
        ArrayNode steps = preTokenizer.putArray("pretokenizers");
        steps.addObject().put("type", "Whitespace");
        steps.addObject().put("type", "Digits").put("individual_digits", true);
        root.putNull("post_processor");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        vocabulary.forEach(vocab::put);
        model.put("unk_token", UNK);
        return Safetensors.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static HuggingFaceTokenizer tokenizer(String json) {
        try {
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
