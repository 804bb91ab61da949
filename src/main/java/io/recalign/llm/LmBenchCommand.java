package io.recalign.llm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code recalign bench lm}: speed of the from-scratch CPU model (vocabulary 8,192) on this machine:
 * prefill, time to first token, greedy decoding at batch 1 and 8 (prompt 128, 64 new tokens) and
 * training (batch 8 × 256), each the median of several timed runs after a warm-up, plus peak RSS.
 */
@Command(name = "lm", mixinStandardHelpOptions = true,
        description = "Measure language-model prefill, decoding and training speed on CPU.")
public final class LmBenchCommand implements Callable<Integer> {

    static final int VOCABULARY = 8192;
    static final int PROMPT = 128;
    static final int NEW_TOKENS = 64;
    static final int TRAIN_BATCH = 8;
    static final int TRAIN_LENGTH = 256;

    /** PyTorch eager from Python (torch 1.13, 2 threads) on a 2-core x86-64 machine, same model. */
    private static final double[] REFERENCE = {13_000, 10, 450, 2_000, 4_350};
    private static final long WARM_UP_NANOS = 3_000_000_000L;

    @Option(names = "--config", defaultValue = "default", description = "Model size: default (the documented CPU model).")
    String config;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: the engine's, one per core).")
    Integer threads;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed runs per figure; the median is reported.")
    int repeats;

    @Option(names = "--json", description = "Print one JSON object as the last line.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!config.equals("default")) {
            throw new IllegalArgumentException("unknown config " + config + " (default is the one benchmarked)");
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats must be at least 1");
        }
        Engine.getEngine("PyTorch");
        if (threads != null) {
            JniUtils.setNumThreads(threads);
        }
        LlamaConfig model = LlamaConfig.defaultCpu(VOCABULARY);
        ObjectNode result = Safetensors.JSON.createObjectNode();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double loadBefore = os.getSystemLoadAverage();
        long cpuStart = os.getProcessCpuTime();
        long wallStart = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel lm = LlamaModel.create(model, manager, 1)) {
            result.put("config", config);
            result.put("parameters", lm.parameterCount());
            result.put("threads", JniUtils.getNumThreads());
            Generator generator = new Generator(lm);
            Random random = new Random(7);
            List<int[]> prompts = new ArrayList<>();
            for (int b = 0; b < 8; b++) {
                prompts.add(randomTokens(random, PROMPT));
            }
            GenerationSettings oneToken = GenerationSettings.greedy(1, List.of());
            GenerationSettings full = GenerationSettings.greedy(NEW_TOKENS, List.of());

            double prefill = median(() -> generator.generate(prompts.get(0), oneToken));
            double[] firstToken = new double[1];
            GenerationSettings timed = full.withListener((sequence, token) -> {
                if (firstToken[0] == 0) {
                    firstToken[0] = System.nanoTime();
                }
            });
            List<Double> ttft = new ArrayList<>();
            List<Double> decode1 = new ArrayList<>();
            List<Double> decode8 = new ArrayList<>();
            warmUp(() -> {
                generator.generate(prompts.get(0), full);
                generator.generate(prompts, full);
            });
            for (int run = 0; run < repeats; run++) {
                firstToken[0] = 0;
                long start = System.nanoTime();
                generator.generate(prompts.get(0), timed);
                long end = System.nanoTime();
                firstToken[0] = firstToken[0] == 0 ? end : firstToken[0];
                ttft.add((firstToken[0] - start) / 1e6);
                decode1.add((NEW_TOKENS - 1) / ((end - firstToken[0]) / 1e9));
                firstToken[0] = 0;
                start = System.nanoTime();
                generator.generate(prompts, timed);
                end = System.nanoTime();
                decode8.add(8 * (NEW_TOKENS - 1) / ((end - firstToken[0]) / 1e9));
            }
            result.put("prefill_tokens_per_s", round(PROMPT / prefill));
            result.put("time_to_first_token_ms", round(median(ttft)));
            result.put("decode_tokens_per_s_batch1", round(median(decode1)));
            result.put("decode_tokens_per_s_batch8", round(median(decode8)));
            result.put("batch8_over_batch1", round(median(decode8) / median(decode1)));
            result.put("training_tokens_per_s", round(TRAIN_BATCH * TRAIN_LENGTH / trainingStepSeconds(lm, random)));
        }
        result.put("peak_rss_mb", peakRssMegabytes());
        // context for the figures: on a shared machine other processes take cores away from this one
        result.put("load_average_before", round(loadBefore));
        result.put("load_average_after", round(os.getSystemLoadAverage()));
        result.put("process_cpu_share", round((os.getProcessCpuTime() - cpuStart) / (double) (System.nanoTime() - wallStart)));
        // glibc reads these only at process start; without them training runs at about half the speed
        ObjectNode malloc = result.putObject("malloc_variables");
        new TreeMap<>(System.getenv()).forEach((name, value) -> {
            if (name.startsWith("MALLOC_")) {
                malloc.put(name, value);
            }
        });
        ObjectNode reference = result.putObject("reference_pytorch_eager");
        reference.put("prefill_tokens_per_s", REFERENCE[0]);
        reference.put("time_to_first_token_ms", REFERENCE[1]);
        reference.put("decode_tokens_per_s_batch1", REFERENCE[2]);
        reference.put("decode_tokens_per_s_batch8", REFERENCE[3]);
        reference.put("training_tokens_per_s", REFERENCE[4]);
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Safetensors.JSON.writeValueAsString(result));
        } else {
            out.println(Safetensors.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        }
        return 0;
    }

    private double trainingStepSeconds(LlamaModel model, Random random) {
        int[][] tokens = new int[TRAIN_BATCH][];
        boolean[][] mask = new boolean[TRAIN_BATCH][TRAIN_LENGTH + 1];
        for (int b = 0; b < TRAIN_BATCH; b++) {
            tokens[b] = randomTokens(random, TRAIN_LENGTH + 1);
            Arrays.fill(mask[b], 1, TRAIN_LENGTH + 1, true);
        }
        try (AdamW optimizer = new AdamW(model, AdamW.Settings.defaults(), LearningRateSchedule.constant(1e-4))) {
            LanguageModelTrainer trainer = new LanguageModelTrainer(model, optimizer);
            return median(() -> trainer.step(tokens, mask));
        }
    }

    /** Seconds of the median of {@code repeats} timed runs after the warm-up. */
    private double median(Runnable work) {
        warmUp(work);
        List<Double> seconds = new ArrayList<>();
        for (int run = 0; run < repeats; run++) {
            long start = System.nanoTime();
            work.run();
            seconds.add((System.nanoTime() - start) / 1e9);
        }
        return median(seconds);
    }

    /**
     * Runs {@code work} for a few seconds (at least once): the JIT compiles the Java side of a call only
     * after many runs, and with one warm-up run prefill measured at less than half its settled speed.
     */
    private static void warmUp(Runnable work) {
        long until = System.nanoTime() + WARM_UP_NANOS;
        do {
            work.run();
        } while (System.nanoTime() < until);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static int[] randomTokens(Random random, int length) {
        int[] tokens = new int[length];
        tokens[0] = 1;
        for (int t = 1; t < length; t++) {
            tokens[t] = 4 + random.nextInt(VOCABULARY - 4);
        }
        return tokens;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** VmHWM of /proc/self/status: the most resident memory this process has had, in MiB. */
    static double peakRssMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
