package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.ServiceProcess;
import io.recalign.tasks.TaskFamily;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real service in child JVMs on one data directory, killed with SIGKILL in the middle of an import
 * and of an SFT job, stopped with SIGTERM in the middle of the resumed job, and started again each time:
 * the import is absent with no stray rows, the job resumes from its last checkpoint each time and ends
 * with a READY model whose files match the recorded digest, a tampered model is refused, and the embedded
 * PostgreSQL left running by a killed owner is taken over. Then the command line, owning the database:
 * its JSON is the last line of standard output, and a SIGTERM settles its job before the database stops.
 */
class CrashRecoveryTest {

    private static final Duration BOOT = Duration.ofMinutes(2);
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path folder;

    @Test
    void killsAndStopsLoseNothingAndTrainingResumesFromItsCheckpoints() throws Exception {
        Path home = Files.createDirectories(folder.resolve("home"));
        Path postgres = home.resolve("postgres");

        // 1. SIGKILL while a large import streams its rows
        try (ServiceProcess first = ServiceProcess.serve(home, "first").awaitReady(BOOT)) {
            first.post("/admin/datasets/synthetic", Map.of("name", "small", "users", 80, "items", 80,
                    "interactionsPerUser", 12, "seed", 1), 201);
            Path bigFiles = writeJsonlCatalog(Files.createDirectories(folder.resolve("big")), 20_000, 2_000, 30);
            CompletableFuture<Void> big = CompletableFuture.runAsync(() -> {
                try {
                    first.post("/admin/datasets", Map.of("name", "big", "format", "jsonl", "path", bigFiles.toString()));
                } catch (IOException | InterruptedException e) {
                    // the process is killed under the request
                }
            });
            awaitCopy(postgres, "interactions");
            first.kill();
            big.join();
        }
        assertThat(postgres.resolve("postmaster.pid")).as("the killed owner's database keeps running").exists();

        // 2. a new service takes over the orphaned database: the import is absent, nothing of it remains
        long job;
        Path checkpoints;
        int killedAt;
        try (ServiceProcess second = ServiceProcess.serve(home, "second").awaitReady(BOOT)) {
            assertThat(second.log()).contains("outlived every process that used it");
            List<String> names = StreamSupport.stream(second.get("/admin/datasets").spliterator(), false)
                    .map(dataset -> dataset.get("name").asString()).toList();
            assertThat(names).contains("small").doesNotContain("big");
            assertNoStrayRows(postgres, second.get("/admin/datasets/small").get("interactions").asLong());

            long teacher = second.post("/admin/jobs", Map.of("type", "teacher", "dataset", "small", "params",
                    Map.of("epochs", 2, "hidden", 32, "blocks", 1, "maxLen", 8, "batchSize", 64)), 202).get("id").asLong();
            assertThat(awaitJob(second, teacher, "SUCCEEDED").get("status").asString()).isEqualTo("SUCCEEDED");

            job = second.post("/admin/jobs", Map.of("type", "sft", "dataset", "small", "params", sftParams()), 202)
                    .get("id").asLong();
            checkpoints = home.resolve("jobs").resolve(Long.toString(job));
            awaitCheckpoint(checkpoints);
            second.kill();
            killedAt = checkpointStep(checkpoints);
        }

        // 3. the next start queues the orphaned job again and it resumes; SIGTERM while it runs
        int stoppedAt;
        try (ServiceProcess third = ServiceProcess.serve(home, "third").awaitReady(BOOT)) {
            assertThat(third.log()).contains("Job " + job + " (sft) was interrupted and is queued to resume");
            awaitStep(third, job, killedAt + 10);
            third.terminate(Duration.ofMinutes(1));
            assertThat(third.log()).contains("Job " + job + " (sft) stopped for shutdown and will resume")
                    .contains("Embedded PostgreSQL on port").doesNotContain("cannot save", "Could not release");
        }
        assertThat(postgres.resolve("postmaster.pid")).as("the database stopped after the job was settled").doesNotExist();
        stoppedAt = checkpointStep(checkpoints);
        assertThat(stoppedAt).isGreaterThan(killedAt);

        // 4. resumed again from the shutdown checkpoint, it registers a READY model whose files match its digest
        try (ServiceProcess fourth = ServiceProcess.serve(home, "fourth").awaitReady(BOOT)) {
            assertThat(fourth.log()).doesNotContain("outlived", "was interrupted");
            JsonNode finished = awaitJob(fourth, job, "SUCCEEDED");
            JsonNode result = finished.get("progress").get("result");
            assertThat(result.get("resumed_from_step").asInt()).isEqualTo(stoppedAt);
            assertThat(result.get("steps").asInt()).isEqualTo(600);
            assertThat(finished.get("progress").get("resumes").asInt()).isEqualTo(2);
            assertThat(checkpoints).doesNotExist();

            long modelId = result.get("model_id").asLong();
            JsonNode model = fourth.get("/admin/models/" + modelId);
            assertThat(model.get("status").asString()).isEqualTo("READY");
            Path files = home.resolve(model.get("path").asString());
            assertThat(model.get("sha256").asString()).isEqualTo(ModelStore.digest(files));
            assertThat(AlignmentFixture.storeEntries(home)).containsExactly(Long.toString(modelId));

            // a model file changed on disk is refused when the model is loaded: the teacher answers instead
            try (var weights = Files.newByteChannel(files.resolve("model.safetensors"), StandardOpenOption.WRITE)) {
                weights.position(weights.size() - 4).write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
            }
            fourth.post("/admin/models/" + modelId + "/activate", Map.of(), 200);
            JsonNode answer = fourth.post("/api/v1/recommendations", Map.of("dataset", "small", "history",
                    itemIds(fourth, 3), "count", 5), 200);
            assertThat(answer.get("source").asString()).isEqualTo("teacher");
            assertThat(fourth.log()).contains("model " + modelId + " failed its integrity check");
            fourth.terminate(Duration.ofMinutes(1));
        }

        // 5. the command line owning the database: JSON last on standard output, logs on standard error
        ServiceProcess datasets = ServiceProcess.command(home, "datasets", "datasets", "--json");
        assertThat(datasets.await(BOOT)).as(datasets.log()).isZero();
        List<String> lines = datasets.out().lines().toList();
        assertThat(JSON.readTree(lines.get(lines.size() - 1)).get("datasets")).hasSize(1);
        assertThat(datasets.out()).doesNotContain("PostgreSQL");
        assertThat(datasets.log()).contains("Embedded PostgreSQL on port").contains("stopped");

        // 6. SIGTERM of a command running a job on a database it owns: the job is settled, then the database stops
        ServiceProcess sft = ServiceProcess.command(home, "cli-sft", "sft", "--dataset", "small", "--steps", "5000",
                "--batch-size", "4", "--threads", "1");
        awaitTraining(sft);
        sft.terminate(Duration.ofMinutes(1));
        assertThat(postgres.resolve("postmaster.pid")).doesNotExist();
        try (io.recalign.system.LocalPostgres database = io.recalign.system.LocalPostgres.open(postgres);
                Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(), null);
                ResultSet last = connection.createStatement().executeQuery(
                        "select j.status, m.status from jobs j join models m on m.job_id = j.id order by j.id desc limit 1")) {
            assertThat(last.next()).isTrue();
            assertThat(last.getString(1)).as(sft.log()).isEqualTo("CANCELLED");
            assertThat(last.getString(2)).isEqualTo("CANCELLED");
        }
    }

    /** A tiny model trained long enough to be stopped twice, with a resume point every ten steps. */
    private static Map<String, Object> sftParams() {
        Map<String, Integer> train = new LinkedHashMap<>();
        Map<String, Integer> valid = new LinkedHashMap<>();
        Map<String, Integer> test = new LinkedHashMap<>();
        for (TaskFamily family : TaskFamily.values()) {
            train.put(family.code(), family == TaskFamily.SEQ_REC ? 30 : 8);
            valid.put(family.code(), family == TaskFamily.SEQ_REC ? 8 : 1);
            test.put(family.code(), 0);
        }
        Map<String, Object> params = new LinkedHashMap<>(AlignmentFixture.tinyModel());
        params.put("counts", Map.of("train", train, "valid", valid, "test", test));
        params.put("steps", 600);
        params.put("batchSize", 4);
        params.put("lr", 1e-2);
        params.put("threads", 1);
        params.put("warmupSteps", 4);
        params.put("evalEvery", 200);
        params.put("checkpointEvery", 10);
        params.put("logEvery", 10);
        params.put("validExamples", 16);
        params.put("recallExamples", 8);
        return params;
    }

    /** A JSONL catalog of random sequences, large enough that storing it takes a while. */
    private static Path writeJsonlCatalog(Path directory, int users, int items, int perUser) throws IOException {
        java.util.Random random = new java.util.Random(3);
        try (var out = Files.newBufferedWriter(directory.resolve("items.jsonl"))) {
            for (int i = 0; i < items; i++) {
                out.write("{\"id\": " + i + ", \"title\": \"Item " + i + "\", \"categories\": [\"c" + i % 10 + "\"]}\n");
            }
        }
        try (var out = Files.newBufferedWriter(directory.resolve("interactions.jsonl"))) {
            for (int u = 0; u < users; u++) {
                int[] sequence = random.ints(0, items).distinct().limit(perUser).toArray();
                for (int n = 0; n < perUser; n++) {
                    out.write("{\"user\": " + u + ", \"item\": " + sequence[n] + ", \"timestamp\": " + n + "}\n");
                }
            }
        }
        return directory;
    }

    /** Waits until the server on the data directory runs {@code copy <table> ...} for an uncommitted import. */
    private static void awaitCopy(Path postgres, String table) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(postgres.resolve("postmaster.pid"))) {
                try (Connection connection = connect(postgres);
                        PreparedStatement copying = connection.prepareStatement("select count(*) from pg_stat_activity"
                                + " where state = 'active' and query ilike ?")) {
                    copying.setString(1, "copy " + table + " %");
                    try (ResultSet count = copying.executeQuery()) {
                        count.next();
                        if (count.getInt(1) > 0) {
                            return;
                        }
                    }
                } catch (SQLException e) {
                    // the server is starting
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the import never reached copy " + table);
    }

    /** No row of any dataset table belongs to a dataset that does not exist; the stored one is complete. */
    private static void assertNoStrayRows(Path postgres, long smallInteractions) throws Exception {
        try (Connection connection = connect(postgres)) {
            for (String table : List.of("categories", "items", "users", "interactions")) {
                try (ResultSet stray = connection.createStatement().executeQuery("select count(*) from " + table
                        + " where dataset_id not in (select id from datasets)")) {
                    stray.next();
                    assertThat(stray.getLong(1)).as("rows of " + table + " without a dataset").isZero();
                }
            }
            try (ResultSet stored = connection.createStatement().executeQuery("select count(*) from interactions x"
                    + " join datasets d on d.id = x.dataset_id where d.name = 'small'")) {
                stored.next();
                assertThat(stored.getLong(1)).isEqualTo(smallInteractions).isPositive();
            }
        }
    }

    private static Connection connect(Path postgres) throws IOException, SQLException {
        List<String> pid = Files.readAllLines(postgres.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pid.get(3).trim() + "/recalign", "postgres", null);
    }

    private static JsonNode awaitJob(ServiceProcess service, long id, String status) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            job = service.get("/admin/jobs/" + id);
            String now = job.get("status").asString();
            if (now.equals(status)) {
                return job;
            }
            assertThat(now).as("job %d: %s", id, job).isIn("QUEUED", "RUNNING");
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " did not end " + status + ": " + job);
    }

    private static void awaitStep(ServiceProcess service, long id, int step) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = service.get("/admin/jobs/" + id);
            assertThat(job.get("status").asString()).as("job %d: %s", id, job).isIn("QUEUED", "RUNNING");
            JsonNode progress = job.get("progress");
            if ("training".equals(progress.path("phase").asString("")) && progress.path("step").asInt() >= step) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " never reached step " + step);
    }

    private static void awaitCheckpoint(Path checkpoints) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(checkpoints.resolve("last").resolve(SftCheckpoints.STATE))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no checkpoint in " + checkpoints);
    }

    /** The step of the job's resume point (the one a resumed run would load). */
    private static int checkpointStep(Path checkpoints) {
        Path point = new SftCheckpoints(checkpoints, checkpoints.resolve("tokenizer.json")).resumePoint()
                .orElseThrow(() -> new AssertionError("no resume point in " + checkpoints));
        return new SftCheckpoints(checkpoints, checkpoints.resolve("tokenizer.json")).readState(point).step();
    }

    private static void awaitTraining(ServiceProcess command) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(command.isAlive()).as(command.log()).isTrue();
            if (command.log().contains("training ")) {
                Thread.sleep(1000);
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the command never started training:\n" + command.log());
    }

    private static List<String> itemIds(ServiceProcess service, int count) throws Exception {
        JsonNode page = service.get("/admin/datasets/small/items?size=" + count);
        return StreamSupport.stream(page.get("content").spliterator(), false).map(item -> item.get("id").asString()).toList();
    }
}
