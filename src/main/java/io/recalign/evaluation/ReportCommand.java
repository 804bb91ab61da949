package io.recalign.evaluation;

import io.recalign.system.ContextCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/** Writes a dataset's evaluation report, one self-contained HTML page, to a file. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the evaluation report of a dataset (comparison table, control charts, training curves) as one HTML file.")
public final class ReportCommand implements ContextCommand {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "dataset whose evaluations are reported")
    String dataset;

    @Option(names = "--out", required = true, description = "the HTML file to write (replaced when it exists)")
    Path out;

    @Option(names = "--json", description = "print {\"dataset\", \"file\", \"bytes\"} as one JSON object on the last line")
    boolean json;

    @Override
    public int run(ApplicationContext context) throws IOException {
        String html = context.getBean(ReportService.class).render(dataset);
        Path target = out.toAbsolutePath();
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("the folder of " + out + " does not exist");
        }
        // written beside the target, then moved over it: a reader never sees half a page
        Path partial = Files.createTempFile(parent, target.getFileName().toString(), ".partial");
        try {
            Files.writeString(partial, html, StandardCharsets.UTF_8);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        long bytes = Files.size(target);
        PrintWriter printer = spec.commandLine().getOut();
        printer.printf("wrote the evaluation report of %s to %s (%d bytes)%n", dataset, target, bytes);
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("dataset", dataset);
            summary.put("file", target.toString());
            summary.put("bytes", bytes);
            printer.println(JSON.writeValueAsString(summary));
        }
        printer.flush();
        return 0;
    }
}
