package io.recalign.llm;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/** Hugging Face checkpoint directories: config.json, safetensors weights, tokenizer.json. */
public final class Checkpoints {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String GENERATION_CONFIG = "generation_config.json";

    private Checkpoints() {
    }

    /** Loads the model of a checkpoint directory (single or sharded safetensors) into {@code parent}. */
    public static LlamaModel load(Path directory, NDManager parent) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("model directory " + directory + " does not exist");
        }
        Path configFile = directory.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new IllegalArgumentException("no " + CONFIG + " in " + directory);
        }
        LlamaConfig config = LlamaConfig.read(configFile);
        return LlamaModel.fromTensors(config, Safetensors.readCheckpoint(directory), parent);
    }

    /**
     * Writes a directory that transformers loads: config.json, model.safetensors (F32),
     * tokenizer.json (copied from {@code tokenizerJson}) and generation_config.json. The directory
     * appears complete or not at all; an existing one is replaced only once the new one is complete.
     */
    public static void export(LlamaModel model, Path tokenizerJson, Path directory) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("tokenizer file " + tokenizerJson + " does not exist");
        }
        Path target = directory.toAbsolutePath();
        Path staging = target.resolveSibling(target.getFileName() + ".partial");
        try {
            deleteRecursively(staging);
            Files.createDirectories(staging);
            LlamaConfig config = model.config();
            writeJson(staging.resolve(CONFIG), config.toJson());
            Safetensors.write(staging.resolve(WEIGHTS), model.exportTensors());
            Files.copy(tokenizerJson, staging.resolve(TOKENIZER));
            writeJson(staging.resolve(GENERATION_CONFIG), generationConfig(config));
            replaceDirectory(staging, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export the model to " + directory + ": " + e.getMessage(), e);
        } finally {
            try {
                deleteRecursively(staging);
            } catch (IOException ignored) {
                // best effort: the staging folder is named .partial and replaced on the next export
            }
        }
    }

    /**
     * Puts the complete directory {@code staged} in the place of {@code target} by renames, so a crash
     * leaves either the old directory or the new one (or, between the two renames, the old one beside
     * the target as {@code <target>.old}), never a half-written one.
     */
    public static void replaceDirectory(Path staged, Path target) throws IOException {
        Path old = target.resolveSibling(target.getFileName() + ".old");
        deleteRecursively(old);
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(old);
    }

    private static ObjectNode generationConfig(LlamaConfig config) {
        ObjectNode json = Safetensors.JSON.createObjectNode();
        json.put("bos_token_id", config.bosTokenId());
        if (config.eosTokenIds().size() == 1) {
            json.put("eos_token_id", config.eosTokenIds().get(0));
        } else {
            var ids = json.putArray("eos_token_id");
            config.eosTokenIds().forEach(ids::add);
        }
        json.put("pad_token_id", config.padTokenId());
        json.put("do_sample", false);
        return json;
    }

    private static void writeJson(Path file, ObjectNode json) throws IOException {
        Files.writeString(file, Safetensors.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> entries = Files.walk(path)) {
            for (Path entry : entries.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(entry);
            }
        }
    }
}
