package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The packaging (Dockerfile, docker/, helm/recalign) parses and agrees with itself and with the code, and
 * the README's commands are the ones CI and users run. Helm is not installed where tests run, so the
 * templates are checked by structure: YAML after replacing template actions by a placeholder scalar,
 * balanced blocks, and value paths that values.yaml defines. Each check also runs on a broken sample, to
 * show it can fail.
 */
class DeploymentFilesTest {

    private static final Path CHART = Path.of("helm", "recalign");
    private static final Path TEMPLATES = CHART.resolve("templates");
    private static final Path DOCKER = Path.of("docker");
    private static final Pattern ACTION = Pattern.compile("\\{\\{.*?}}");
    private static final Pattern ACTIONS_ONLY = Pattern.compile("^\\s*(\\{\\{.*?}}\\s*)+$");
    private static final Pattern ANY_ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}", Pattern.DOTALL);
    private static final Set<String> BLOCK_OPENERS = Set.of("if", "range", "with", "define", "block");
    private static final Pattern VALUE_REFERENCE = Pattern.compile("\\.Values\\.([A-Za-z0-9_.]*[A-Za-z0-9_])");
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    // ---- YAML ----

    @Test
    void everyYamlFileParses() {
        List<Path> files = yamlFiles();
        assertThat(files).contains(CHART.resolve("Chart.yaml"), CHART.resolve("values.yaml"),
                CHART.resolve("values-production.yaml"), TEMPLATES.resolve("deployment.yaml"),
                TEMPLATES.resolve("training-job.yaml"), DOCKER.resolve("compose.yaml"), DOCKER.resolve("prometheus.yml"));
        for (Path file : files) {
            String text = read(file);
            List<Object> documents = parse(file.startsWith(TEMPLATES) ? placeholders(text) : text);
            assertThat(documents).as(file.toString()).isNotEmpty().doesNotContainNull();
        }
        Map<String, Object> chart = onlyDocument(read(CHART.resolve("Chart.yaml")));
        assertThat(chart).containsEntry("apiVersion", "v2").containsEntry("name", "recalign").containsKeys("version", "appVersion");
    }

    @Test
    void theYamlCheckFindsBrokenTemplates() {
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

    // ---- Helm chart ----

    @Test
    void templatesAreTheExpectedKubernetesObjects() {
        Map<String, Object> kinds = new TreeMap<>();
        for (Path template : yamlTemplates()) {
            Map<String, Object> object = onlyDocument(placeholders(read(template)));
            assertThat(object).as(template.toString()).containsKeys("apiVersion", "kind", "metadata");
            assertThat(map(object, "metadata")).as(template.toString()).containsKey("name");
            kinds.put(template.getFileName().toString(), object.get("kind"));
        }
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of(
                "configmap.yaml", "ConfigMap", "deployment.yaml", "Deployment", "hpa.yaml", "HorizontalPodAutoscaler",
                "pvc.yaml", "PersistentVolumeClaim", "secret.yaml", "Secret", "service.yaml", "Service",
                "servicemonitor.yaml", "ServiceMonitor", "training-job.yaml", "Job"));
    }

    @Test
    void templateBlocksAreBalanced() {
        List<Path> files = chartTemplates();
        assertThat(files).contains(TEMPLATES.resolve("_helpers.tpl"), TEMPLATES.resolve("NOTES.txt"));
        for (Path file : files) {
            assertThat(blockProblems(read(file))).as(file.toString()).isEmpty();
        }
    }

    @Test
    void theBlockCheckFindsUnbalancedTemplates() {
        assertThat(blockProblems("{{- if .Values.a }}\nx: 1\n")).containsExactly("1 block(s) left open: [if]");
        assertThat(blockProblems("x: 1\n{{- end }}\n")).containsExactly("'end' without a block");
        assertThat(blockProblems("{{- range .Values.a }}{{ if . }}{{ end }}")).containsExactly("1 block(s) left open: [range]");
        assertThat(blockProblems("{{- else }}")).containsExactly("'else' outside a block");
        assertThat(blockProblems("name: {{ .Values.a }\n")).containsExactly("1 '{{' but 0 '}}'");
        assertThat(blockProblems("{{/* if and end in a comment */}}{{- with .Values.a }}{{ . }}{{- else }}none{{- end }}")).isEmpty();
    }

    @Test
    void templatesOnlyUseDefinedValues() {
        Map<String, Object> values = onlyDocument(read(CHART.resolve("values.yaml")));
        Set<String> references = new LinkedHashSet<>();
        for (Path file : chartTemplates()) {
            references.addAll(valueReferences(read(file)));
        }
        assertThat(references).contains("gpu.count", "gpu.imageTag", "gpu.nodeSelector", "database.existingSecretUrlKey",
                "autoscaling.enabled", "training.jobs", "training.gpu.count", "metrics.serviceMonitor.enabled");
        assertThat(undefined(values, references)).isEmpty();
    }

    @Test
    void theValueCheckFindsUndefinedPaths() {
        Map<String, Object> values = onlyDocument(read(CHART.resolve("values.yaml")));
        assertThat(undefined(values, valueReferences("{{ .Values.gpu.cout }} {{ $.Values.image.tag }} {{ .root.Values.nope }}")))
                .containsExactly("gpu.cout", "nope");
        assertThat(undefined(values, Set.of("image.tag.major"))).containsExactly("image.tag.major");
    }

    @Test
    void theProductionExampleOnlySetsDefinedValues() {
        Map<String, Object> values = onlyDocument(read(CHART.resolve("values.yaml")));
        Map<String, Object> example = onlyDocument(read(CHART.resolve("values-production.yaml")));
        assertThat(unknownSettings(values, example, "")).isEmpty();

        assertThat(unknownSettings(values, Map.of("gpu", Map.of("cuont", 1), "replicas", 2), "")).containsExactlyInAnyOrder("gpu.cuont", "replicas");
        // free-form maps (node selectors, labels, extra config) take any key
        assertThat(unknownSettings(values, Map.of("gpu", Map.of("nodeSelector", Map.of("pool", "a100"))), "")).isEmpty();
    }

    @Test
    void theChartReadmeDocumentsEveryValue() {
        Map<String, Object> values = onlyDocument(read(CHART.resolve("values.yaml")));
        String readme = read(CHART.resolve("README.md"));
        List<String> leaves = leafPaths(values, "");
        assertThat(leaves).contains("image.repository", "gpu.imageTag", "training.gpu.count", "metrics.serviceMonitor.labels");
        assertThat(leaves).filteredOn(path -> !documented(readme, path)).isEmpty();

        assertThat(documented("| `image.tag` |", "image.repository")).isFalse();
        assertThat(documented("| `probes.liveness.*` |", "probes.liveness.periodSeconds")).isTrue();
        assertThat(documented("| `resources` |", "resources.requests.cpu")).isTrue();
    }

    @Test
    void servingAndTrainingPodsAreWiredAsIntended() {
        Map<String, Object> deployment = onlyDocument(placeholders(read(TEMPLATES.resolve("deployment.yaml"))));
        Map<String, Object> container = firstContainer(deployment);
        assertThat(container).containsEntry("args", List.of("serve")).containsKeys("resources", "envFrom", "env", "volumeMounts");
        assertThat(map(map(container, "livenessProbe"), "httpGet")).containsEntry("path", "/actuator/health/liveness");
        assertThat(map(map(container, "readinessProbe"), "httpGet")).containsEntry("path", "/actuator/health/readiness");
        // the HPA owns the replica count when it is on
        assertThat(read(TEMPLATES.resolve("deployment.yaml")))
                .containsSubsequence("{{- if not .Values.autoscaling.enabled }}", "replicas: {{ .Values.replicaCount }}", "{{- end }}");

        Map<String, Object> hpa = onlyDocument(placeholders(read(TEMPLATES.resolve("hpa.yaml"))));
        assertThat(hpa).containsEntry("apiVersion", "autoscaling/v2");
        assertThat(map(map(hpa, "spec"), "scaleTargetRef")).containsEntry("kind", "Deployment");

        Map<String, Object> job = onlyDocument(placeholders(read(TEMPLATES.resolve("training-job.yaml"))));
        assertThat(map(map(map(job, "spec"), "template"), "spec")).containsEntry("restartPolicy", "Never");
        assertThat(read(TEMPLATES.resolve("training-job.yaml"))).contains("args: {{ toJson $job.args }}")
                .contains("app.kubernetes.io/component: training").doesNotContain("recalign.servingSelectorLabels");
        // the Service (and ServiceMonitor) select serving pods only, never a training Job's pod
        assertThat(read(TEMPLATES.resolve("_helpers.tpl")))
                .containsSubsequence("define \"recalign.servingSelectorLabels\"", "app.kubernetes.io/component: serving", "{{- end }}");
        for (String template : List.of("service.yaml", "deployment.yaml", "servicemonitor.yaml")) {
            assertThat(read(TEMPLATES.resolve(template))).as(template).contains("include \"recalign.servingSelectorLabels\"");
        }
    }

    @Test
    void readinessIncludesTheModelsIndicator() {
        String properties = read(Path.of("src", "main", "resources", "application.properties"));
        assertThat(properties.lines().filter(line -> line.startsWith("management.endpoint.health.group.readiness.include=")))
                .singleElement().satisfies(line -> assertThat(line.substring(line.indexOf('=') + 1).split(","))
                        .contains("readinessState", "db", "models"));
    }

    // ---- Compose ----

    @Test
    void composeRunsPostgres16TheServiceAndPrometheusOnRequest() {
        String text = read(DOCKER.resolve("compose.yaml"));
        Map<String, Object> services = map(onlyDocument(text), "services");
        assertThat(services).containsOnlyKeys("postgres", "recalign", "prometheus");
        assertThat(map(services, "postgres")).containsEntry("image", "postgres:16").containsKey("healthcheck");

        Map<String, Object> recalign = map(services, "recalign");
        assertThat(recalign).containsEntry("env_file", List.of(".env")).containsEntry("ports", List.of("8080:8080"));
        assertThat(map(recalign, "environment")).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/recalign")
                .containsKey("RECALIGN_ADMIN_TOKEN");
        assertThat(map(recalign, "healthcheck").get("test").toString()).contains("/actuator/health/readiness");
        assertThat(map(recalign, "build")).containsEntry("target", "cpu");
        assertThat(recalign.get("volumes")).asInstanceOf(InstanceOfAssertFactories.LIST).contains("recalign-data:/data");

        Map<String, Object> prometheus = map(services, "prometheus");
        assertThat(prometheus).containsEntry("profiles", List.of("monitoring"));
        assertThat(prometheus.get("volumes")).asInstanceOf(InstanceOfAssertFactories.LIST).contains("./prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        Map<String, Object> scrape = onlyListEntry(onlyDocument(read(DOCKER.resolve("prometheus.yml"))), "scrape_configs");
        assertThat(scrape).containsEntry("metrics_path", "/actuator/prometheus");
        // the target is the compose service on the port it listens on
        assertThat(onlyListEntry(scrape, "static_configs")).containsEntry("targets", List.of("recalign:8080"));
    }

    @Test
    void composeTakesItsSecretsFromAGitIgnoredEnvFile() {
        String text = read(DOCKER.resolve("compose.yaml"));
        Set<String> used = new LinkedHashSet<>();
        Matcher variable = Pattern.compile("\\$\\{([A-Z_]+)").matcher(text);
        while (variable.find()) {
            used.add(variable.group(1));
        }
        assertThat(used).contains("RECALIGN_ADMIN_TOKEN", "POSTGRES_PASSWORD");
        Map<String, String> example = envFile(read(DOCKER.resolve(".env.example")));
        assertThat(example).containsKeys(used.toArray(String[]::new));
        // secrets ship empty, so compose's ${...:?} refuses to start until they are set
        assertThat(example).containsEntry("RECALIGN_ADMIN_TOKEN", "").containsEntry("POSTGRES_PASSWORD", "");
        assertThat(read(Path.of(".gitignore")).lines()).contains("docker/.env");
    }

    @Test
    void theGpuOverrideRunsTheGpuImageOnNvidiaDevices() {
        Map<String, Object> recalign = map(map(onlyDocument(read(DOCKER.resolve("compose.gpu.yaml"))), "services"), "recalign");
        assertThat(map(recalign, "build")).containsEntry("target", "gpu");
        Map<String, Object> reservations = map(map(map(recalign, "deploy"), "resources"), "reservations");
        assertThat(onlyListEntry(reservations, "devices")).containsEntry("driver", "nvidia").containsEntry("capabilities", List.of("gpu"));
    }

    // ---- README and CI ----

    @Test
    void theReadmeCommandsAreThoseCiAndUsersRun() {
        assertThat(setupCommands(read(Path.of("README.md")))).containsExactly("./mvnw spring-boot:run", "./mvnw -B verify");
        assertThat(ciCommand(read(Path.of(".ci", "run")))).isEqualTo("./mvnw -B verify");
        assertThat(read(Path.of(".ci", "run"))).contains("export DJL_OFFLINE=true");
    }

    @Test
    void theCommandChecksFindOtherCommands() {
        String readme = """
                # x

                ## Set-up

                ```bash
                mvn spring-boot:run   # runs it
                ./mvnw -B verify
                ```

                ## Next

                ```bash
                ./mvnw spring-boot:run
                ```
                """;
        assertThat(setupCommands(readme)).containsExactly("mvn spring-boot:run", "./mvnw -B verify");
        assertThat(setupCommands("# x\n\n## Usage\n\n```bash\n./mvnw -B verify\n```\n")).isEmpty();
        assertThat(ciCommand("#!/usr/bin/env bash\nset -e\nexport DJL_OFFLINE=true\n./mvnw -B verify -DskipTests\n"))
                .isEqualTo("./mvnw -B verify -DskipTests");
    }

    @Test
    void relativeLinksOfTheDocsResolve() {
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md"), CHART.resolve("README.md"),
                Path.of("docs", "architecture.md"), Path.of("docs", "operations.md")));
        for (Path document : documents) {
            assertThat(brokenLinks(document, read(document))).as(document.toString()).isEmpty();
        }
        assertThat(read(Path.of("README.md"))).contains("](docs/architecture.md)", "](docs/operations.md)", "](helm/recalign/README.md)");
        assertThat(brokenLinks(Path.of("README.md"), "see [ops](docs/no-such-page.md#top) and [web](https://example.com)"))
                .containsExactly("docs/no-such-page.md#top");
    }

    // ---- Dockerfile ----

    @Test
    void theDockerfileBuildsACpuAndAGpuImage() {
        Dockerfile dockerfile = Dockerfile.parse(read(Path.of("Dockerfile")));
        assertThat(dockerfile.defaultTarget()).isEqualTo("cpu");
        for (String target : List.of("cpu", "gpu")) {
            assertThat(imageProblems(dockerfile.image(target))).as(target).isEmpty();
        }
        assertThat(dockerfile.image("cpu").env()).doesNotContainKey("PYTORCH_LIBRARY_PATH");

        String pomPytorch = pomProperty("pytorch.version");
        Image gpu = dockerfile.image("gpu");
        assertThat(gpuProblems(gpu, pomPytorch)).isEmpty();
        // libtorch is copied where PYTORCH_LIBRARY_PATH points, from the stage that installs the wheel
        assertThat(gpu.instructions()).contains("COPY --from=libtorch /opt/pytorch /opt/pytorch");
        assertThat(gpu.env().get("PYTORCH_LIBRARY_PATH")).startsWith("/opt/pytorch/");
        assertThat(dockerfile.image("libtorch").instructions()).anySatisfy(run -> assertThat(run)
                .startsWith("RUN pip install")
                .contains("https://download.pytorch.org/whl/" + gpu.env().get("PYTORCH_FLAVOR"))
                .contains("torch==" + pomPytorch));
        // DJL ships the JNI bridge of this flavour in the jar the image runs
        String bridge = "jnilib/linux-x86_64/" + gpu.env().get("PYTORCH_FLAVOR") + "/libdjl_torch.so";
        assertThat(getClass().getClassLoader().getResource(bridge)).as(bridge).isNotNull();
    }

    @Test
    void bothImagesTuneNativeMemoryAsTheBuildDoes() {
        Dockerfile dockerfile = Dockerfile.parse(read(Path.of("Dockerfile")));
        Map<String, String> build = Map.of(
                "MALLOC_ARENA_MAX", pomProperty("malloc.arena.max"),
                "MALLOC_MMAP_MAX_", pomProperty("malloc.mmap.max"),
                "MALLOC_TRIM_THRESHOLD_", pomProperty("malloc.trim.threshold"),
                "MALLOC_TOP_PAD_", pomProperty("malloc.top.pad"));
        for (String target : List.of("cpu", "gpu")) {
            assertThat(dockerfile.image(target).env()).as(target).containsAllEntriesOf(build);
        }
        // and the same values that a process started without them sets through mallopt
        assertThat(build.get("MALLOC_TRIM_THRESHOLD_")).isEqualTo(String.valueOf(NativeMemory.TRIM_THRESHOLD));
        assertThat(build.get("MALLOC_TOP_PAD_")).isEqualTo(String.valueOf(NativeMemory.TOP_PAD));
    }

    @Test
    void theBuildStageInstallsTheCompilerThePomCallsBeforeBuilding() {
        assertThat(read(Path.of("pom.xml"))).contains("<exec executable=\"gcc\"", "src/main/c/mkl_vendor_check.c");
        List<String> build = Dockerfile.parse(read(Path.of("Dockerfile"))).image("build").instructions();
        int install = IntStream.range(0, build.size())
                .filter(i -> build.get(i).startsWith("RUN apt-get update") && build.get(i).contains(" gcc libc6-dev"))
                .findFirst().orElseThrow();
        int maven = IntStream.range(0, build.size())
                .filter(i -> build.get(i).contains("./mvnw -B -q package"))
                .findFirst().orElseThrow();
        assertThat(install).isLessThan(maven);
    }

    @Test
    void theDockerfileChecksFindARootOrCpuOnlyGpuImage() {
        Dockerfile broken = Dockerfile.parse("""
                ARG FLAVOR=cpu
                FROM eclipse-temurin:17-jre AS runtime
                USER 10001
                ENTRYPOINT ["java", "-jar", "/app/recalign.jar"]
                FROM runtime AS gpu
                ARG FLAVOR
                ENV PYTORCH_FLAVOR=${FLAVOR} \\
                    PYTORCH_VERSION=2.5.1
                USER root
                """);
        assertThat(broken.defaultTarget()).isEqualTo("gpu");
        assertThat(imageProblems(broken.image("gpu"))).containsExactlyInAnyOrder("runs as root", "no HEALTHCHECK", "no /data volume");
        assertThat(gpuProblems(broken.image("gpu"), "2.7.1")).containsExactlyInAnyOrder(
                "PYTORCH_LIBRARY_PATH is not set", "PYTORCH_FLAVOR is cpu, not a CUDA flavour",
                "PYTORCH_VERSION is 2.5.1, the pom's PyTorch is 2.7.1");
        assertThat(imageProblems(broken.image("runtime"))).contains("no HEALTHCHECK").doesNotContain("runs as root");
    }

    // ---- checks ----

    /** What is wrong with the nesting of a template's actions; empty when balanced. */
    static List<String> blockProblems(String template) {
        List<String> problems = new ArrayList<>();
        int opened = count(template, "{{");
        int closed = count(template, "}}");
        if (opened != closed) {
            problems.add(opened + " '{{' but " + closed + " '}}'");
            return problems;
        }
        Deque<String> blocks = new ArrayDeque<>();
        Matcher action = ANY_ACTION.matcher(template);
        while (action.find()) {
            String body = action.group(1);
            if (body.startsWith("/*")) {
                continue;
            }
            String keyword = body.split("[\\s(]", 2)[0];
            if (BLOCK_OPENERS.contains(keyword)) {
                blocks.push(keyword);
            } else if (keyword.equals("else") && (blocks.isEmpty() || blocks.peek().equals("define"))) {
                problems.add("'else' outside a block");
            } else if (keyword.equals("end")) {
                if (blocks.isEmpty()) {
                    problems.add("'end' without a block");
                } else {
                    blocks.pop();
                }
            }
        }
        if (!blocks.isEmpty()) {
            problems.add(blocks.size() + " block(s) left open: " + blocks);
        }
        return problems;
    }

    static Set<String> valueReferences(String template) {
        Set<String> references = new LinkedHashSet<>();
        Matcher matcher = VALUE_REFERENCE.matcher(template);
        while (matcher.find()) {
            references.add(matcher.group(1));
        }
        return references;
    }

    /** The referenced paths values.yaml does not define. */
    static List<String> undefined(Map<String, Object> values, Set<String> references) {
        List<String> missing = new ArrayList<>();
        for (String reference : references) {
            Object node = values;
            for (String key : reference.split("\\.")) {
                if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                    missing.add(reference);
                    break;
                }
                node = map.get(key);
            }
        }
        return missing;
    }

    /** Settings of an override file that values.yaml does not define; below an empty map anything goes. */
    @SuppressWarnings("unchecked")
    static List<String> unknownSettings(Map<String, Object> values, Map<String, Object> overrides, String prefix) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Object> entry : overrides.entrySet()) {
            String path = prefix + entry.getKey();
            if (!values.containsKey(entry.getKey())) {
                unknown.add(path);
            } else if (values.get(entry.getKey()) instanceof Map<?, ?> defaults && !defaults.isEmpty()
                    && entry.getValue() instanceof Map<?, ?> override) {
                unknown.addAll(unknownSettings((Map<String, Object>) defaults, (Map<String, Object>) override, path + "."));
            }
        }
        return unknown;
    }

    /** Every value a user can set: scalars, lists and empty (free-form) maps. */
    @SuppressWarnings("unchecked")
    static List<String> leafPaths(Map<String, Object> values, String prefix) {
        List<String> leaves = new ArrayList<>();
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            String path = prefix + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> map && !map.isEmpty()) {
                leaves.addAll(leafPaths((Map<String, Object>) map, path + "."));
            } else {
                leaves.add(path);
            }
        }
        return leaves;
    }

    /** A value is documented by its own path in backticks, or by an ancestor's ({@code `a.b`} or {@code `a.b.*`}). */
    static boolean documented(String readme, String path) {
        String[] keys = path.split("\\.");
        for (int length = keys.length; length > 0; length--) {
            String prefix = String.join(".", List.of(keys).subList(0, length));
            if (readme.contains("`" + prefix + "`") || readme.contains("`" + prefix + ".*`")) {
                return true;
            }
        }
        return false;
    }

    /** The commands of the first code block under the README's "## Set-up" heading, without comments. */
    static List<String> setupCommands(String readme) {
        List<String> commands = new ArrayList<>();
        boolean inSection = false;
        boolean inBlock = false;
        for (String line : readme.lines().toList()) {
            if (line.startsWith("## ")) {
                if (inSection) {
                    break;
                }
                inSection = line.strip().equals("## Set-up");
            } else if (inSection && line.startsWith("```")) {
                if (inBlock) {
                    break;
                }
                inBlock = true;
            } else if (inBlock) {
                String command = line.replaceFirst("\\s+#.*$", "").strip();
                if (!command.isEmpty() && !command.startsWith("#")) {
                    commands.add(command);
                }
            }
        }
        return commands;
    }

    /** The last command of a shell script, past set-up lines (set, cd, export) and comments. */
    static String ciCommand(String script) {
        List<String> commands = script.lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .filter(line -> !line.startsWith("set ") && !line.startsWith("cd ") && !line.startsWith("export "))
                .toList();
        return commands.isEmpty() ? "" : commands.get(commands.size() - 1).replaceFirst("^exec\\s+", "");
    }

    /** Relative Markdown links whose file does not exist next to the document. */
    static List<String> brokenLinks(Path document, String markdown) {
        List<String> broken = new ArrayList<>();
        Matcher link = MARKDOWN_LINK.matcher(markdown);
        while (link.find()) {
            String target = link.group(1);
            if (target.contains("://") || target.startsWith("#") || target.startsWith("mailto:")) {
                continue;
            }
            Path base = document.getParent() == null ? Path.of("") : document.getParent();
            if (!Files.exists(base.resolve(target.replaceFirst("#.*$", "")))) {
                broken.add(target);
            }
        }
        return broken;
    }

    static List<String> imageProblems(Image image) {
        List<String> problems = new ArrayList<>();
        if (image.user() == null || image.user().equals("root") || image.user().startsWith("0")) {
            problems.add("runs as root");
        }
        if (!image.healthcheck()) {
            problems.add("no HEALTHCHECK");
        }
        if (!image.volumes().contains("/data")) {
            problems.add("no /data volume");
        }
        if (!image.instructions().contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/recalign.jar\"]")) {
            problems.add("does not run the jar");
        }
        return problems;
    }

    static List<String> gpuProblems(Image image, String pomPytorch) {
        List<String> problems = new ArrayList<>();
        Map<String, String> env = image.env();
        if (!env.containsKey("PYTORCH_LIBRARY_PATH")) {
            problems.add("PYTORCH_LIBRARY_PATH is not set");
        }
        String flavor = env.getOrDefault("PYTORCH_FLAVOR", "");
        if (!flavor.matches("cu\\d+")) {
            problems.add("PYTORCH_FLAVOR is " + flavor + ", not a CUDA flavour");
        }
        if (!pomPytorch.equals(env.get("PYTORCH_VERSION"))) {
            problems.add("PYTORCH_VERSION is " + env.get("PYTORCH_VERSION") + ", the pom's PyTorch is " + pomPytorch);
        }
        return problems;
    }

    /** What a target of a Dockerfile ends up with, following its stages back to the first. */
    record Image(String user, boolean healthcheck, Set<String> volumes, Map<String, String> env, List<String> instructions) {
    }

    /** A Dockerfile's stages: instructions joined across continuation lines, ${ARG}s substituted. */
    record Dockerfile(Map<String, String> bases, Map<String, List<String>> stages, String defaultTarget) {

        private static final Pattern FROM = Pattern.compile("FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?",
                Pattern.CASE_INSENSITIVE);
        private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

        static Dockerfile parse(String text) {
            Map<String, String> globalArgs = new LinkedHashMap<>();
            Map<String, String> bases = new LinkedHashMap<>();
            Map<String, List<String>> stages = new LinkedHashMap<>();
            List<String> current = null;
            Map<String, String> args = globalArgs;
            String last = null;
            for (String instruction : instructions(text)) {
                String keyword = instruction.split("\\s+", 2)[0].toUpperCase();
                if (keyword.equals("FROM")) {
                    Matcher from = FROM.matcher(instruction);
                    assertThat(from.matches()).as(instruction).isTrue();
                    last = from.group(2) == null ? "stage" + stages.size() : from.group(2);
                    bases.put(last, from.group(1));
                    current = new ArrayList<>();
                    stages.put(last, current);
                    args = new LinkedHashMap<>();
                    continue;
                }
                if (keyword.equals("ARG")) {
                    String[] arg = instruction.split("\\s+", 2)[1].split("=", 2);
                    String value = arg.length > 1 ? arg[1] : globalArgs.get(arg[0]);
                    args.put(arg[0], value);
                    if (current == null) {
                        continue;
                    }
                }
                if (current != null) {
                    current.add(substitute(instruction, args));
                }
            }
            return new Dockerfile(bases, stages, last);
        }

        Image image(String target) {
            List<String> chain = new ArrayList<>();
            for (String stage = target; stages.containsKey(stage); stage = bases.get(stage)) {
                chain.add(0, stage);
            }
            assertThat(chain).as("stages of " + target).isNotEmpty();
            String user = null;
            boolean healthcheck = false;
            Set<String> volumes = new LinkedHashSet<>();
            Map<String, String> env = new LinkedHashMap<>();
            List<String> all = new ArrayList<>();
            for (String stage : chain) {
                for (String instruction : stages.get(stage)) {
                    all.add(instruction);
                    String[] parts = instruction.split("\\s+", 2);
                    String keyword = parts[0].toUpperCase();
                    String rest = parts.length > 1 ? parts[1] : "";
                    switch (keyword) {
                        case "USER" -> user = rest.strip();
                        case "HEALTHCHECK" -> healthcheck = !rest.strip().equalsIgnoreCase("NONE");
                        case "VOLUME" -> volumes.addAll(List.of(rest.replaceAll("[\\[\\]\",]", " ").strip().split("\\s+")));
                        case "ENV" -> {
                            for (String pair : rest.strip().split("\\s+")) {
                                String[] keyValue = pair.split("=", 2);
                                env.put(keyValue[0], keyValue.length > 1 ? keyValue[1] : "");
                            }
                        }
                        default -> {
                        }
                    }
                }
            }
            return new Image(user, healthcheck, volumes, env, all);
        }

        private static List<String> instructions(String text) {
            List<String> instructions = new ArrayList<>();
            StringBuilder pending = new StringBuilder();
            for (String line : text.lines().toList()) {
                String stripped = line.strip();
                if (stripped.isEmpty() || stripped.startsWith("#")) {
                    continue;
                }
                boolean continues = stripped.endsWith("\\");
                pending.append(pending.length() > 0 ? " " : "")
                        .append(continues ? stripped.substring(0, stripped.length() - 1).strip() : stripped);
                if (!continues) {
                    instructions.add(pending.toString());
                    pending.setLength(0);
                }
            }
            return instructions;
        }

        private static String substitute(String instruction, Map<String, String> args) {
            Matcher variable = VARIABLE.matcher(instruction);
            StringBuilder result = new StringBuilder();
            while (variable.find()) {
                String value = args.get(variable.group(1));
                variable.appendReplacement(result, Matcher.quoteReplacement(value == null ? variable.group() : value));
            }
            return variable.appendTail(result).toString();
        }
    }

    // ---- helpers ----

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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyListEntry(Map<String, Object> parent, String key) {
        assertThat(parent.get(key)).as(key).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(1).first().isInstanceOf(Map.class);
        return (Map<String, Object>) ((List<Object>) parent.get(key)).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstContainer(Map<String, Object> workload) {
        Map<String, Object> podSpec = map(map(map(workload, "spec"), "template"), "spec");
        return ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
    }

    private static Map<String, String> envFile(String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        text.lines().filter(line -> line.contains("=") && !line.startsWith("#"))
                .forEach(line -> entries.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        return entries;
    }

    private static String pomProperty(String name) {
        Matcher property = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(read(Path.of("pom.xml")));
        assertThat(property.find()).as(name).isTrue();
        return property.group(1);
    }

    private static int count(String text, String token) {
        int count = 0;
        for (int at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + token.length())) {
            count++;
        }
        return count;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> chartTemplates() {
        return files(TEMPLATES).stream().filter(Files::isRegularFile).toList();
    }

    private static List<Path> yamlTemplates() {
        return yamlFiles().stream().filter(file -> file.startsWith(TEMPLATES)).toList();
    }

    private static List<Path> yamlFiles() {
        List<Path> yaml = new ArrayList<>();
        for (Path root : List.of(Path.of("helm"), DOCKER)) {
            files(root).stream()
                    .filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".yml"))
                    .forEach(yaml::add);
        }
        return yaml;
    }

    private static List<Path> files(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
