package io.recalign.system;

import tools.jackson.databind.node.ObjectNode;

/**
 * A job someone asks for, before it is validated and queued.
 *
 * @param type    the job type, naming its {@link JobHandler}
 * @param dataset the dataset it works on, or null for types that need none
 * @param params  the type's parameters as a JSON object (never null; a copy is kept)
 */
public record JobRequest(String type, String dataset, ObjectNode params) {

    public JobRequest {
        if (type == null || type.isBlank()) {
            throw new BadRequestException("a job needs a type");
        }
        if (dataset != null && dataset.isBlank()) {
            dataset = null;
        }
        params = params == null ? JobParams.emptyObject() : params.deepCopy();
    }

    /** A request whose parameters are a record or map, as the command line builds them. */
    public static JobRequest of(String type, String dataset, Object params) {
        return new JobRequest(type, dataset, JobParams.toObject(params));
    }

    /** The dataset, which jobs of this type need: a 400 naming the type when the request has none. */
    public String requireDataset() {
        if (dataset == null) {
            throw new BadRequestException("a job of type '" + type + "' needs a dataset");
        }
        return dataset;
    }

    /** The parameters as JSON (a copy: the request stays as it was submitted). */
    @Override
    public ObjectNode params() {
        return params.deepCopy();
    }

    /**
     * Binds the parameters to the handler's record. Unknown names, wrong types and the record's own
     * checks (its compact constructor's IllegalArgumentException) become a {@link BadRequestException}
     * that names the parameter.
     */
    public <T> T params(Class<T> type) {
        return JobParams.bind(params, type);
    }
}
