package io.recalign.system;

import io.recalign.RecalignApplication;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the jar: parses the command line and runs the chosen command. */
public final class Cli {

    /** Returned by {@code serve}: the web server keeps the JVM alive, so main must not exit. */
    public static final int KEEP_RUNNING = Integer.MIN_VALUE;

    private Cli() {
    }

    public static int execute(String... args) {
        CommandLine commandLine = commandLine();
        return commandLine.execute(args.length == 0 ? new String[] {"serve"} : args);
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new RecalignCommand());
        commandLine.setExecutionStrategy(Cli::executeParsed);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            cmd.getErr().println("error: " + CliErrors.message(exception));
            return 1;
        });
        return commandLine;
    }

    private static int executeParsed(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult leaf = parseResult;
        while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
        }
        Object command = leaf.commandSpec().userObject();
        if (command instanceof ContextCommand contextCommand) {
            if (CommandLine.printHelpIfRequested(parseResult)) {
                return 0;
            }
            // standard output carries the command's own lines only (its JSON last): logs go to standard error,
            // including those of the context closing after the command printed
            CommandLine leafCommand = leaf.commandSpec().commandLine();
            PrintStream stdout = System.out;
            leafCommand.setOut(new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true));
            System.setOut(System.err);
            try (ConfigurableApplicationContext context = startContext()) {
                return contextCommand.run(context);
            } catch (Exception e) {
                leafCommand.getErr().println("error: " + CliErrors.message(e));
                return 1;
            } finally {
                leafCommand.getOut().flush();
                System.setOut(stdout);
            }
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    /** A Spring context without the web server, background workers or start-up chatter. */
    static ConfigurableApplicationContext startContext() {
        return new SpringApplicationBuilder(RecalignApplication.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties(Map.of(
                        "recalign.mode", "cli",
                        "logging.level.root", "WARN",
                        "logging.level.io.recalign", "INFO"))
                .run();
    }

    @Command(name = "recalign", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Instruction-following recommendations from a language model aligned to a recommender.",
            subcommands = {
                ServeCommand.class,
                BenchCommand.class,
                io.recalign.catalog.ImportCommand.class,
                io.recalign.catalog.SyntheticCommand.class,
                io.recalign.catalog.DatasetsCommand.class,
                io.recalign.llm.LmCommand.class,
                io.recalign.recommend.ActivateCommand.class,
                io.recalign.teacher.TeacherCommand.class,
                io.recalign.evaluation.EvaluateCommand.class,
                io.recalign.evaluation.ReportCommand.class,
                io.recalign.alignment.TasksCommand.class,
                io.recalign.alignment.SftCommand.class,
                io.recalign.alignment.RlCommand.class,
                io.recalign.alignment.ModelsCommand.class,
                io.recalign.demo.DemoCommand.class,
            })
    static final class RecalignCommand implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }
}
