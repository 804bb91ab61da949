package io.recalign.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

class LmCommandTest extends TorchTest {

    private record Run(int exitCode, String out, String err) {
        JsonNode json() {
            return Safetensors.JSON.readTree(out.strip().lines().reduce((first, second) -> second).orElseThrow());
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new LmCommand())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .setExecutionExceptionHandler((exception, cmd, parsed) -> {
                    cmd.getErr().println("error: " + exception.getMessage());
                    return 1;
                });
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void logitsMatchTheReferenceRows() {
        Path folder = Fixtures.folder("qwen2-tied");
        JsonNode reference = Safetensors.readJson(folder.resolve("expected.json")).get("cases").get(1).get("logits");

        Run run = run("logits", "--model", folder.toString(), "--ids", "1,159,156");

        assertThat(run.exitCode()).isZero();
        JsonNode logits = run.json().get("logits");
        assertThat(logits.size()).isEqualTo(3);
        for (int t = 0; t < 3; t++) {
            assertThat(logits.get(t).size()).isEqualTo(300);
            for (int v = 0; v < 300; v++) {
                assertThat(logits.get(t).get(v).asDouble()).isCloseTo(reference.get(t).get(v).asDouble(), within(1e-4));
            }
        }
    }

    @Test
    void generateIsGreedyByDefaultAndTokenizesText() {
        Path folder = Fixtures.folder("llama-f32");
        JsonNode reference = Safetensors.readJson(folder.resolve("expected.json")).get("generate").get(0);

        String prompt = java.util.Arrays.stream(ConformanceTest.ints(reference.get("input_ids")))
                .mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        Run ids = run("generate", "--model", folder.toString(), "--ids", prompt, "--max-new-tokens", "16");
        Run text = run("generate", "--model", folder.toString(), "--text", "w155 w152 w276 w6 w47 w201", "--max-new-tokens", "3");
        Run sampled = run("generate", "--model", folder.toString(), "--ids", "1,5", "--temperature", "1.0", "--seed", "4");
        Run again = run("generate", "--model", folder.toString(), "--ids", "1,5", "--temperature", "1.0", "--seed", "4");

        assertThat(ids.json().get("output_ids")).isEqualTo(reference.get("output_ids"));
        assertThat(ConformanceTest.ints(text.json().get("input_ids"))).containsExactly(159, 156, 280, 10, 51, 205);
        assertThat(text.json().get("output_ids").size()).isEqualTo(9);
        assertThat(text.json().get("text").asString()).matches("w\\d+ w\\d+ w\\d+");
        assertThat(sampled.json()).isEqualTo(again.json());
    }

    @Test
    void exportWritesABf16CheckpointAsF32WithTheSameLogits(@TempDir Path temp) throws Exception {
        Path source = Fixtures.folder("llama-bf16");
        Path target = temp.resolve("exported");

        Run export = run("export", "--model", source.toString(), "--out", target.toString());

        assertThat(export.exitCode()).isZero();
        assertThat(export.json().get("exported").asString()).isEqualTo(target.toString());
        assertThat(target.resolve("tokenizer.json")).hasSameBinaryContentAs(source.resolve("tokenizer.json"));
        // the declared precision is kept (transformers loads the export as it loaded the source), the data is F32
        assertThat(Safetensors.readJson(target.resolve("config.json")).get("dtype").asString()).isEqualTo("bfloat16");
        assertThat(safetensorsHeader(target.resolve("model.safetensors"))).contains("\"F32\"").doesNotContain("BF16");
        JsonNode before = run("logits", "--model", source.toString(), "--ids", "1,17,42").json();
        JsonNode after = run("logits", "--model", target.toString(), "--ids", "1,17,42").json();
        assertThat(after).isEqualTo(before);
        assertThat(run("export", "--model", source.toString(), "--out", source.toString()).err())
                .contains("--out must differ from --model");
    }

    private static String safetensorsHeader(Path file) throws java.io.IOException {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        long length = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(bytes, 8, (int) length, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void badInputGivesOneErrorLineAndNonZeroExit() {
        Path folder = Fixtures.folder("llama-f32");

        Run outside = run("logits", "--model", folder.toString(), "--ids", "1,300");
        Run missing = run("generate", "--model", folder.resolve("absent").toString(), "--ids", "1");

        assertThat(outside.exitCode()).isNotZero();
        assertThat(outside.err()).isEqualTo("error: token id 300 is outside the vocabulary of 300" + System.lineSeparator());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("does not exist");
    }
}
