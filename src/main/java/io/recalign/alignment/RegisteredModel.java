package io.recalign.alignment;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the model registry.
 *
 * @param parentId         the model this one was trained from, or null
 * @param dataset          the dataset it was trained for, or null (a base model)
 * @param instructionSetId the instruction set it was fine-tuned on, or null
 * @param path             its Hugging Face directory relative to {@code recalign.home} (e.g. {@code models/7}),
 *                         null until it is READY
 * @param sha256           digest over the directory's files, null until it is READY
 * @param config           the model and training configuration
 * @param metrics          figures measured when it was trained, e.g. {@code valid_recall@10}
 * @param jobId            the job that trained it, or null
 */
public record RegisteredModel(long id, ModelKind kind, Long parentId, String dataset, Long instructionSetId,
        String path, String sha256, ModelStatus status, boolean active, Map<String, Object> config,
        Map<String, Object> metrics, Long jobId, Instant createdAt) {

    public RegisteredModel {
        config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
