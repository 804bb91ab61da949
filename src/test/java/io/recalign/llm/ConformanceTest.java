package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every reference checkpoint reproduces what Hugging Face transformers computed on it. */
class ConformanceTest {

    private static final double TOLERANCE = 1e-4;
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

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
