package io.recalign;

import io.recalign.system.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs the jar's command line in this JVM as a user would: its own Spring context on the data directory
 * of the integration tests' service ({@link TestHome}), standard output and error captured.
 *
 * @param status the exit status
 * @param out    what the command printed on standard output (its Spring context's log lines included)
 * @param err    what it printed on standard error
 */
public record CommandLineRun(int status, String out, String err) {

    public static CommandLineRun of(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setProperty("recalign.home", TestHome.path().toString());
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Cli.execute(args);
            return new CommandLineRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            System.clearProperty("recalign.home");
        }
    }

    /** The output lines from the first one that starts with {@code prefix}: the command's own, after any log lines. */
    public List<String> linesFrom(String prefix) {
        List<String> lines = out.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return lines.subList(i, lines.size());
            }
        }
        throw new AssertionError("no output line starts with '" + prefix + "':\n" + out + err);
    }
}
