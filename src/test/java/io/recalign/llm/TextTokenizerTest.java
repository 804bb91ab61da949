package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TextTokenizerTest {

    @Test
    void idsMatchTransformersForEveryCheckpoint() {
        for (Path folder : Fixtures.all()) {
            JsonNode expected = Safetensors.readJson(folder.resolve("expected.json")).get("tokenizer");
            try (TextTokenizer tokenizer = TextTokenizer.load(folder)) {
                assertThat(tokenizer.encode(expected.get("text").asString()))
                        .as("%s tokenizer", folder.getFileName())
                        .containsExactly(ConformanceTest.ints(expected.get("ids")));
            }
        }
    }

    @Test
    void longTextIsNeitherTruncatedNorPadded() {
        try (TextTokenizer tokenizer = TextTokenizer.load(Fixtures.folder("llama-f32"))) {
            String text = "w1 w2 ".repeat(600);

            int[] ids = tokenizer.encode(text);

            assertThat(ids).hasSize(1200);
            assertThat(tokenizer.decode(new int[] {5, 6, 7})).isEqualTo("w1 w2 w3");
        }
    }
}
