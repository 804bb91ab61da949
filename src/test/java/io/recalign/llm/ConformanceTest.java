package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every reference checkpoint reproduces what Hugging Face transformers computed on it. */
class ConformanceTest extends TorchTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void logitsMatchTransformers() {
        for (Path folder : Fixtures.all()) {
            JsonNode expected = Safetensors.readJson(folder.resolve("expected.json"));
            try (LlamaModel model = Checkpoints.load(folder, manager)) {
                for (JsonNode testCase : expected.get("cases")) {
                    int[] ids = ints(testCase.get("input_ids"));
                    float[][] logits = model.logits(ids);
                    JsonNode reference = testCase.get("logits");
                    assertThat(logits).hasNumberOfRows(reference.size());
                    double worst = 0;
                    for (int t = 0; t < logits.length; t++) {
                        for (int v = 0; v < logits[t].length; v++) {
                            worst = Math.max(worst, Math.abs(logits[t][v] - reference.get(t).get(v).asDouble()));
                        }
                    }
                    assertThat(worst).as("%s, %d tokens: largest logit difference", folder.getFileName(), ids.length)
                            .isLessThan(TOLERANCE);
                }
            }
        }
    }

    @Test
    void greedyGenerationMatchesTransformers() {
        for (Path folder : Fixtures.all()) {
            JsonNode expected = Safetensors.readJson(folder.resolve("expected.json"));
            try (LlamaModel model = Checkpoints.load(folder, manager)) {
                Generator generator = new Generator(model);
                for (JsonNode run : expected.get("generate")) {
                    int[] prompt = ints(run.get("input_ids"));
                    int[] reference = ints(run.get("output_ids"));
                    GenerationSettings settings = GenerationSettings.greedy(reference.length - prompt.length, model.config().eosTokenIds());

                    Generation generation = generator.generate(prompt, settings);

                    assertThat(concat(prompt, generation.tokens())).as("%s greedy", folder.getFileName()).containsExactly(reference);
                }
            }
        }
    }

    @Test
    void leftPaddedBatchMatchesTransformersAndSingleRuns() {
        for (Path folder : Fixtures.all()) {
            JsonNode batched = Safetensors.readJson(folder.resolve("expected.json")).get("batched_generate");
            try (LlamaModel model = Checkpoints.load(folder, manager)) {
                Generator generator = new Generator(model);
                List<int[]> prompts = new ArrayList<>();
                List<int[]> references = new ArrayList<>();
                for (int row = 0; row < batched.get("input_ids").size(); row++) {
                    int[] padded = ints(batched.get("input_ids").get(row));
                    int[] attention = ints(batched.get("attention_mask").get(row));
                    int pad = (int) java.util.Arrays.stream(attention).takeWhile(a -> a == 0).count();
                    prompts.add(java.util.Arrays.copyOfRange(padded, pad, padded.length));
                    int[] output = ints(batched.get("output_ids").get(row));
                    references.add(java.util.Arrays.copyOfRange(output, padded.length, output.length));
                }
                GenerationSettings settings = GenerationSettings.greedy(references.get(0).length, model.config().eosTokenIds());

                List<Generation> generations = generator.generate(prompts, settings);

                for (int row = 0; row < prompts.size(); row++) {
                    assertThat(generations.get(row).tokens()).as("%s batch row %d", folder.getFileName(), row)
                            .containsExactly(references.get(row))
                            .containsExactly(generator.generate(prompts.get(row), settings).tokens());
                }
            }
        }
    }

    static int[] concat(int[] first, int[] second) {
        int[] joined = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    static List<Integer> list(int[] values) {
        List<Integer> list = new ArrayList<>();
        for (int value : values) {
            list.add(value);
        }
        return list;
    }
}
