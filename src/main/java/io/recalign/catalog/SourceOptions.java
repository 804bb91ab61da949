package io.recalign.catalog;

import picocli.CommandLine.Option;

/** The options that name a source folder and how to filter it, shared by {@code import} and {@code bench import}. */
final class SourceOptions {

    @Option(names = "--format", required = true, description = "movielens or jsonl")
    String format;

    @Option(names = "--path", required = true, description = "folder with the dataset's files")
    String path;

    @Option(names = "--min-count", defaultValue = "5", description = "k of the iterative k-core filter (default ${DEFAULT-VALUE})")
    int minCount;

    @Option(names = "--json", description = "print the result as one JSON object on the last line")
    boolean json;
}
