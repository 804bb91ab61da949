package io.recalign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Every YAML file of the container and Kubernetes packaging parses, and the pieces agree: values the
 * chart's templates use exist, the probes hit the actuator, compose's variables are in the example env
 * file. Helm templates are made parseable by dropping lines that hold only template actions (control
 * flow, includes) and replacing inline expressions by a placeholder scalar.
 */
class DeploymentFilesTest {

    private static final Path CHART = Path.of("helm", "recalign");
    private static final Path DOCKER = Path.of("docker");
    private static final Pattern ACTION = Pattern.compile("\\{\\{.*?}}");
    private static final Pattern ACTIONS_ONLY = Pattern.compile("^\\s*(\\{\\{.*?}}\\s*)+$");
    private static final Pattern VALUE_REFERENCE = Pattern.compile("\\$?\\.Values\\.([A-Za-z0-9_.]+)");

    @Test
    void everyYamlFileParses() throws IOException {
        List<Path> files = yamlFiles();
        assertThat(files).contains(CHART.resolve("Chart.yaml"), CHART.resolve("values.yaml"),
                CHART.resolve("templates/deployment.yaml"), DOCKER.resolve("compose.yaml"));
        for (Path file : files) {
            String text = Files.readString(file);
            List<Object> documents = parse(file.startsWith(CHART.resolve("templates")) ? placeholders(text) : text);
            assertThat(documents).as(file.toString()).isNotEmpty().doesNotContainNull();
        }
    }

    @Test
    void templatesAreKubernetesObjects() throws IOException {
        for (Path template : templates()) {
            Map<String, Object> object = onlyDocument(placeholders(Files.readString(template)));
            assertThat(object).as(template.toString()).containsKeys("apiVersion", "kind", "metadata");
            assertThat(map(object, "metadata")).as(template.toString()).containsKey("name");
        }
    }

    @Test
    void chartDescribesTheService() throws IOException {
        Map<String, Object> chart = onlyDocument(Files.readString(CHART.resolve("Chart.yaml")));
        assertThat(chart).containsEntry("apiVersion", "v2").containsEntry("name", "recalign");

        Map<String, Object> deployment = onlyDocument(placeholders(Files.readString(CHART.resolve("templates/deployment.yaml"))));
        assertThat(deployment).containsEntry("kind", "Deployment");
        Map<String, Object> podSpec = map(map(map(deployment, "spec"), "template"), "spec");
        @SuppressWarnings("unchecked")
        Map<String, Object> container = ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
        assertThat(map(map(container, "livenessProbe"), "httpGet")).containsEntry("path", "/actuator/health/liveness");
        assertThat(map(map(container, "readinessProbe"), "httpGet")).containsEntry("path", "/actuator/health/readiness");
        assertThat(container).containsKeys("resources", "envFrom", "env", "volumeMounts");

        String deploymentText = Files.readString(CHART.resolve("templates/deployment.yaml"));
        assertThat(deploymentText).contains("nvidia.com/gpu").contains("RECALIGN_ADMIN_TOKEN")
                .contains("SPRING_DATASOURCE_PASSWORD");
    }

    @Test
    void templatesOnlyUseDefinedValues() throws IOException {
        Map<String, Object> values = onlyDocument(Files.readString(CHART.resolve("values.yaml")));
        Set<String> references = new LinkedHashSet<>();
        for (Path template : templates()) {
            Matcher matcher = VALUE_REFERENCE.matcher(Files.readString(template));
            while (matcher.find()) {
                references.add(matcher.group(1));
            }
        }
        assertThat(references).contains("gpu.count", "database.url", "adminToken.existingSecret");
        for (String reference : references) {
            Object node = values;
            for (String key : reference.split("\\.")) {
                assertThat(node).as("values.yaml defines " + reference).isInstanceOf(Map.class);
                assertThat(((Map<?, ?>) node).containsKey(key)).as("values.yaml defines " + reference).isTrue();
                node = ((Map<?, ?>) node).get(key);
            }
        }
    }

    @Test
    void composeRunsPostgres16AndTheServiceWithHealthChecks() throws IOException {
        String text = Files.readString(DOCKER.resolve("compose.yaml"));
        Map<String, Object> services = map(onlyDocument(text), "services");
        assertThat(map(services, "postgres")).containsEntry("image", "postgres:16").containsKey("healthcheck");
        Map<String, Object> recalign = map(services, "recalign");
        assertThat(recalign).containsKeys("healthcheck", "volumes", "depends_on");
        assertThat(map(recalign, "environment")).containsKeys("SPRING_DATASOURCE_URL", "RECALIGN_ADMIN_TOKEN");

        Set<String> exampleVariables = Files.readAllLines(DOCKER.resolve(".env.example")).stream()
                .filter(line -> line.contains("=") && !line.startsWith("#"))
                .map(line -> line.substring(0, line.indexOf('=')))
                .collect(Collectors.toSet());
        Matcher used = Pattern.compile("\\$\\{([A-Z_]+)").matcher(text);
        while (used.find()) {
            assertThat(exampleVariables).as("docker/.env.example defines " + used.group(1)).contains(used.group(1));
        }
    }

    @Test
    void theCheckRejectsBrokenTemplates() {
        String badIndentation = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: {{ include "recalign.fullname" . }}
                    labels: x
                """;
        String unclosedQuote = """
                apiVersion: v1
                kind: ConfigMap
                data:
                  {{- if .Values.x }}
                  KEY: "{{ .Values.x }}
                  {{- end }}
                """;
        assertThatThrownBy(() -> parse(placeholders(badIndentation))).isInstanceOf(YAMLException.class);
        assertThatThrownBy(() -> parse(placeholders(unclosedQuote))).isInstanceOf(YAMLException.class);
    }

    /** Drops lines made only of template actions; replaces the other actions by a plain scalar. */
    static String placeholders(String template) {
        return template.lines()
                .filter(line -> !ACTIONS_ONLY.matcher(line).matches())
                .map(line -> ACTION.matcher(line).replaceAll("PLACEHOLDER"))
                .collect(Collectors.joining("\n"));
    }

    private static List<Object> parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        // both branches of an if/else survive the placeholders, and may set the same key
        options.setAllowDuplicateKeys(true);
        List<Object> documents = new ArrayList<>();
        new Yaml(options).loadAll(yaml).forEach(documents::add);
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyDocument(String yaml) {
        List<Object> documents = parse(yaml);
        assertThat(documents).hasSize(1);
        assertThat(documents.get(0)).isInstanceOf(Map.class);
        return (Map<String, Object>) documents.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent.get(key)).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) parent.get(key);
    }

    private static List<Path> templates() throws IOException {
        return yamlFiles().stream().filter(file -> file.startsWith(CHART.resolve("templates"))).toList();
    }

    private static List<Path> yamlFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : List.of(Path.of("helm"), DOCKER)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".yml"))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }
}
