package io.recalign.llm;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code recalign lm}: run a checkpoint directly, without the service or its database. */
@Command(name = "lm", mixinStandardHelpOptions = true,
        description = "Run a language-model checkpoint directory (no database needed).",
        subcommands = {LmCommand.Logits.class, LmCommand.Generate.class, LmCommand.Export.class})
public final class LmCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The model directory and the input, given as ids or as text for the checkpoint's tokenizer. */
    static class Input {
        @Option(names = "--model", required = true, description = "Hugging Face checkpoint directory.")
        Path model;

        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        static class Source {
            @Option(names = "--ids", split = ",", description = "Token ids, comma-separated.")
            int[] ids;

            @Option(names = "--text", description = "Text to tokenize with the checkpoint's tokenizer.json.")
            String text;
        }

        /** What a command computes from the model and the input tokens into the output object. */
        @FunctionalInterface
        interface Work {
            void fill(LlamaModel model, int[] tokens, ObjectNode output);
        }

        /** Loads the model, runs {@code work} and prints the JSON object it filled on one line. */
        int run(CommandLine.Model.CommandSpec spec, Work work) {
            int[] tokens = tokens();
            ObjectNode output = Safetensors.JSON.createObjectNode();
            if (source.text != null) {
                ids(output.putArray("input_ids"), tokens);
            }
            try (NDManager manager = NDManager.newBaseManager(); LlamaModel lm = Checkpoints.load(model, manager)) {
                work.fill(lm, tokens, output);
            }
            spec.commandLine().getOut().println(Safetensors.JSON.writeValueAsString(output));
            return 0;
        }

        private int[] tokens() {
            if (source.ids != null) {
                return source.ids;
            }
            try (TextTokenizer tokenizer = TextTokenizer.load(model)) {
                int[] ids = tokenizer.encode(source.text);
                if (ids.length == 0) {
                    throw new IllegalArgumentException("the text has no tokens");
                }
                return ids;
            }
        }
    }

    @Command(name = "logits", mixinStandardHelpOptions = true,
            description = "Print the logits of every input position: {\"logits\": [[...], ...]}.")
    static final class Logits implements Callable<Integer> {
        @CommandLine.Mixin
        Input input = new Input();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return input.run(spec, (model, tokens, output) -> {
                ArrayNode rows = output.putArray("logits");
                for (float[] row : model.logits(tokens)) {
                    ArrayNode values = rows.addArray();
                    for (float value : row) {
                        values.add(value);
                    }
                }
            });
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Continue the input: {\"output_ids\": [...]} (the prompt included, as transformers prints it).",
                "Greedy unless --temperature is given. With --text the output adds the input ids and the generated text."})
    static final class Generate implements Callable<Integer> {
        @CommandLine.Mixin
        Input input = new Input();

        @Option(names = "--max-new-tokens", defaultValue = "16", description = "At most this many new tokens (default ${DEFAULT-VALUE}).")
        int maxNewTokens;

        @Option(names = "--temperature", description = "Sample at this temperature instead of decoding greedily.")
        Double temperature;

        @Option(names = "--top-k", defaultValue = "0", description = "Sample among the k most likely tokens (0 = all).")
        int topK;

        @Option(names = "--top-p", defaultValue = "1.0", description = "Sample within this probability mass (1 = all).")
        double topP;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the sampling random generator.")
        long seed;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return input.run(spec, (model, prompt, output) -> {
                GenerationSettings settings = GenerationSettings.greedy(maxNewTokens, model.config().eosTokenIds());
                if (temperature != null) {
                    settings = settings.withSampler(Sampler.random(temperature, topK, topP, new Random(seed)));
                }
                int[] generated = new Generator(model).generate(prompt, settings).tokens();
                int[] sequence = Arrays.copyOf(prompt, prompt.length + generated.length);
                System.arraycopy(generated, 0, sequence, prompt.length, generated.length);
                ids(output.putArray("output_ids"), sequence);
                if (input.source.text != null) {
                    try (TextTokenizer tokenizer = TextTokenizer.load(input.model)) {
                        output.put("text", tokenizer.decode(generated));
                    }
                }
            });
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write a checkpoint as recalign exports its own models: config.json, F32 model.safetensors,",
                "tokenizer.json and generation_config.json, which transformers loads. BF16 and sharded sources become",
                "one F32 file. Prints {\"exported\": DIR, \"parameters\": N}."})
    static final class Export implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "Hugging Face checkpoint directory to read.")
        Path model;

        @Option(names = "--out", required = true, description = "Directory to write (replaced as a whole if it exists).")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (out.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--out must differ from --model: the export replaces its target");
            }
            ObjectNode output = Safetensors.JSON.createObjectNode();
            try (NDManager manager = NDManager.newBaseManager(); LlamaModel lm = Checkpoints.load(model, manager)) {
                Checkpoints.export(lm, model.resolve(Checkpoints.TOKENIZER), out);
                output.put("exported", out.toString());
                output.put("parameters", lm.parameterCount());
            }
            spec.commandLine().getOut().println(Safetensors.JSON.writeValueAsString(output));
            return 0;
        }
    }

    private static void ids(ArrayNode array, int[] ids) {
        for (int id : ids) {
            array.add(id);
        }
    }
}
