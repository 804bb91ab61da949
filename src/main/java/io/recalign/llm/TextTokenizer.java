package io.recalign.llm;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A checkpoint's tokenizer.json run by the Hugging Face tokenizers library (through DJL): text to
 * ids exactly as transformers' fast tokenizer gives them, without adding special tokens, truncating
 * or padding; ids back to text.
 */
public final class TextTokenizer implements AutoCloseable {

    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "false",
            "truncation", "false",
            "padding", "false");

    private final HuggingFaceTokenizer tokenizer;

    private TextTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Loads a tokenizer.json file, or the one in a checkpoint directory. */
    public static TextTokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(Checkpoints.TOKENIZER) : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no tokenizer at " + file);
        }
        try {
            return fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A tokenizer from the text of a tokenizer.json. */
    public static TextTokenizer fromJson(String json) {
        try {
            return new TextTokenizer(HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), OPTIONS));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("invalid tokenizer.json: " + e.getMessage(), e);
        }
    }

    public int[] encode(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        long[] ids = encoding.getIds();
        int[] result = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            result[i] = Math.toIntExact(ids[i]);
        }
        return result;
    }

    /** The text of {@code ids}, special tokens (pad, bos, eos) left out. */
    public String decode(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
        }
        return tokenizer.decode(wide, true);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
