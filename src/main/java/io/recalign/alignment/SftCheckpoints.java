package io.recalign.alignment;

import io.recalign.llm.AdamW;
import io.recalign.llm.Checkpoints;
import io.recalign.llm.LlamaModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * The files of a running SFT (or RL) job in its checkpoint directory:
 * <ul>
 * <li>{@code last/}: the latest resume point, a Hugging Face directory plus the optimizer's moments and
 *     step ({@link AdamW#save}) and {@code trainer.json} (steps, batches consumed, recent losses, best
 *     validation so far); replaced as a whole, through a sibling folder and renames;</li>
 * <li>{@code best/}: the Hugging Face directory of the best validation so far, with {@code best.json}
 *     beside it; this is what becomes the registered model.</li>
 * </ul>
 */
final class SftCheckpoints {

    static final String STATE = "trainer.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * What training needs to continue besides weights and optimizer state. The batch order is a pure
     * function of the seed and the batch counter, so these counters are the whole random state.
     *
     * @param batches      micro-batches consumed
     * @param recentLosses training losses of the latest steps (for the reported train loss)
     * @param best         the best validation so far, or null
     * @param tokens       training tokens processed
     * @param seconds      training time so far, over all runs
     */
    record TrainerState(int step, long batches, long seed, List<Double> recentLosses, SftEvaluation best,
                        long tokens, double seconds) {
        TrainerState {
            recentLosses = recentLosses == null ? List.of() : List.copyOf(recentLosses);
        }

        static TrainerState start(long seed) {
            return new TrainerState(0, 0, seed, List.of(), null, 0, 0);
        }
    }

    private final Path root;
    private final Path tokenizerJson;

    /** @param tokenizerJson the tokenizer.json every exported directory carries */
    SftCheckpoints(Path root, Path tokenizerJson) {
        this.root = root;
        this.tokenizerJson = tokenizerJson;
    }

    Path last() {
        return root.resolve("last");
    }

    Path best() {
        return root.resolve("best");
    }

    /** The resume point, recovering from a crash between the two renames of {@link #saveLast}. */
    Optional<Path> resumePoint() {
        for (Path candidate : List.of(last(), root.resolve("last.old"))) {
            if (Files.isRegularFile(candidate.resolve(STATE))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    TrainerState readState(Path point) {
        return readState(point, TrainerState.class);
    }

    /** The trainer state of a resume point, as the trainer that saved it (SFT, RL) records it. */
    <T> T readState(Path point, Class<T> type) {
        return JSON.readValue(point.resolve(STATE).toFile(), type);
    }

    /** Replaces the resume point with the model, optimizer and trainer state of now. */
    void saveLast(LlamaModel model, AdamW optimizer, TrainerState state) {
        saveLast(model, optimizer, state, directory -> { });
    }

    /**
     * Replaces the resume point with the model, the optimizer, a trainer state (any record, as JSON) and
     * whatever else {@code extra} writes into the new point's directory (RL: the value head).
     */
    void saveLast(LlamaModel model, AdamW optimizer, Object state, Consumer<Path> extra) {
        Path next = root.resolve("last.next");
        try {
            FileSystemUtils.deleteRecursively(next);
            Checkpoints.export(model, tokenizerJson, next);
            optimizer.save(next);
            extra.accept(next);
            JSON.writeValue(next.resolve(STATE).toFile(), state);
            Checkpoints.replaceDirectory(next, last());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint in " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Exports the model as the best so far (the Hugging Face files only); the export replaces the previous
     * best only once it is complete, so a crash never leaves a half-written directory that a resumed run
     * would register.
     */
    void saveBest(LlamaModel model, Object evaluation) {
        Checkpoints.export(model, tokenizerJson, best());
        JSON.writeValue(root.resolve("best.json").toFile(), evaluation);
    }

    /** The validation of the exported best checkpoint, if one was exported. */
    Optional<SftEvaluation> bestEvaluation() {
        return bestEvaluation(SftEvaluation.class);
    }

    /** The validation record saved with the exported best checkpoint, if one was exported. */
    <T> Optional<T> bestEvaluation(Class<T> type) {
        Path file = root.resolve("best.json");
        if (!Files.isRegularFile(file) || !Files.isDirectory(best())) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), type));
    }
}
