package io.recalign.alignment;

import java.io.PrintWriter;
import tools.jackson.databind.json.JsonMapper;

/** The JSON line the alignment commands print last with {@code --json}. */
final class CommandOutput {

    private static final JsonMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private CommandOutput() {
    }

    static void printJson(PrintWriter out, Object value) {
        out.println(JSON.writeValueAsString(value));
        out.flush();
    }
}
