package io.recalign.recommend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Mixed traffic against a running service for a fixed time: guided and free answers of a dataset's language
 * model, teacher answers of a dataset without one, and admin reads, each client picking its next request at
 * random by the mix's weights and sending it as soon as the previous one returned. Samples the process's
 * resident memory while it runs.
 */
final class SoakBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int COUNT = 10;

    /** The kinds of request in the mix, with their share of it. */
    enum Kind {
        GUIDED(35), FREE(15), TEACHER(35), ADMIN(15);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A dataset to ask and the users to ask for. */
    record Target(String dataset, List<String> users) {
        Target {
            if (users.isEmpty()) {
                throw new IllegalArgumentException("dataset " + dataset + " has no users to ask for");
            }
            users = List.copyOf(users);
        }
    }

    /** Figures of one kind of request. */
    record KindFigures(String kind, long requests, long errors, double p50Ms, double p99Ms) {
    }

    /** A resident-memory sample, seconds after the start of the measured run. */
    record MemorySample(double seconds, long rssMb) {
    }

    /** What a soak measured. */
    record Figures(double seconds, long requests, long errors, double p50Ms, double p99Ms, double throughput,
                   List<KindFigures> kinds, List<MemorySample> memory, String firstError) {
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String adminToken;
    private final Target model;
    private final Target teacher;

    SoakBenchmark(URI base, String adminToken, Target model, Target teacher) {
        this.base = base;
        this.adminToken = adminToken;
        this.model = model;
        this.teacher = teacher;
    }

    /**
     * One request of every kind per client, so the model is loaded and code paths are warm, then mixed
     * traffic for {@code duration}: the measured run starts from settled memory (native allocator arenas,
     * caches, JIT), so its growth speaks of leaks rather than of start-up.
     */
    void warmUp(int concurrency, Duration duration) throws Exception {
        run(concurrency, Duration.ZERO, Duration.ofSeconds(1), Kind.values().length);
        if (!duration.isZero()) {
            run(concurrency, duration, duration);
        }
    }

    Figures run(int concurrency, Duration duration, Duration sampleEvery) throws Exception {
        return run(concurrency, duration, sampleEvery, Long.MAX_VALUE);
    }

    private Figures run(int concurrency, Duration duration, Duration sampleEvery, long requestsPerClient) throws Exception {
        long started = System.nanoTime();
        long deadline = started + duration.toNanos();
        List<MemorySample> memory = new ArrayList<>();
        memory.add(new MemorySample(0, residentMegabytes()));
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        List<Future<Client>> running = new ArrayList<>();
        try {
            for (int c = 0; c < concurrency; c++) {
                Client client = new Client(new Random(c + 1L));
                running.add(clients.submit(() -> client.loop(deadline, requestsPerClient)));
            }
            long nextSample = started + sampleEvery.toNanos();
            while (!running.stream().allMatch(Future::isDone)) {
                Thread.sleep(Math.max(1, Math.min(1000, (nextSample - System.nanoTime()) / 1_000_000)));
                if (System.nanoTime() >= nextSample) {
                    memory.add(new MemorySample(seconds(System.nanoTime() - started), residentMegabytes()));
                    nextSample += sampleEvery.toNanos();
                }
            }
            List<Client> done = new ArrayList<>();
            for (Future<Client> client : running) {
                done.add(client.get());
            }
            double seconds = seconds(System.nanoTime() - started);
            memory.add(new MemorySample(seconds, residentMegabytes()));
            return figures(done, seconds, memory);
        } finally {
            clients.shutdownNow();
        }
    }

    private static Figures figures(List<Client> clients, double seconds, List<MemorySample> memory) {
        List<KindFigures> kinds = new ArrayList<>();
        LatencyLog all = new LatencyLog();
        long errors = 0;
        String firstError = null;
        for (Kind kind : Kind.values()) {
            LatencyLog latencies = new LatencyLog();
            long kindErrors = 0;
            for (Client client : clients) {
                latencies.addAll(client.latencies.get(kind));
                kindErrors += client.errors.get(kind);
                if (firstError == null) {
                    firstError = client.firstError;
                }
            }
            all.addAll(latencies);
            errors += kindErrors;
            long[] sorted = latencies.sorted();
            kinds.add(new KindFigures(kind.label(), sorted.length, kindErrors, percentile(sorted, 0.50),
                    percentile(sorted, 0.99)));
        }
        long[] sorted = all.sorted();
        return new Figures(seconds, sorted.length, errors, percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.length / seconds, kinds, memory, firstError);
    }

    /** One client: its own random mix, latencies and errors per kind. */
    private final class Client {
        private final Random random;
        private final Map<Kind, LatencyLog> latencies = new EnumMap<>(Kind.class);
        private final Map<Kind, Long> errors = new EnumMap<>(Kind.class);
        private String firstError;

        Client(Random random) {
            this.random = random;
            for (Kind kind : Kind.values()) {
                latencies.put(kind, new LatencyLog());
                errors.put(kind, 0L);
            }
        }

        Client loop(long deadline, long requests) throws InterruptedException {
            for (long i = 0; i < requests && (requests != Long.MAX_VALUE || System.nanoTime() < deadline); i++) {
                Kind kind = requests == Long.MAX_VALUE ? pick() : Kind.values()[(int) (i % Kind.values().length)];
                long sent = System.nanoTime();
                String error = send(kind);
                latencies.get(kind).add(System.nanoTime() - sent);
                if (error != null) {
                    errors.merge(kind, 1L, Long::sum);
                    if (firstError == null) {
                        firstError = kind.label() + ": " + error;
                    }
                }
            }
            return this;
        }

        private Kind pick() {
            int roll = random.nextInt(100);
            for (Kind kind : Kind.values()) {
                roll -= kind.weight;
                if (roll < 0) {
                    return kind;
                }
            }
            return Kind.ADMIN;
        }

        /** Sends one request; null when it succeeded, else what went wrong. */
        private String send(Kind kind) throws InterruptedException {
            HttpRequest request = switch (kind) {
                case GUIDED -> recommendation(model, "guided");
                case FREE -> recommendation(model, "free");
                case TEACHER -> recommendation(teacher, "guided");
                case ADMIN -> adminRead();
            };
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    return request.uri().getPath() + " answered " + response.statusCode() + ": " + response.body();
                }
                if (kind == Kind.TEACHER && !response.body().contains("\"source\":\"teacher\"")) {
                    return "the teacher dataset was answered by another source: " + response.body();
                }
                return null;
            } catch (IOException e) {
                return request.uri().getPath() + ": " + e;
            }
        }

        private HttpRequest recommendation(Target target, String decoding) {
            String user = target.users().get(random.nextInt(target.users().size()));
            String body = JSON.writeValueAsString(Map.of("dataset", target.dataset(), "userId", user, "count", COUNT,
                    "decoding", decoding));
            return HttpRequest.newBuilder(base.resolve(RecommendationsController.PATH))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
        }

        private HttpRequest adminRead() {
            String path = switch (random.nextInt(4)) {
                case 0 -> "/admin/datasets";
                case 1 -> "/admin/jobs?limit=5";
                case 2 -> "/admin/models?dataset=" + model.dataset();
                default -> "/admin/datasets/" + teacher.dataset() + "/items?size=20&page=" + random.nextInt(5);
            };
            return HttpRequest.newBuilder(base.resolve(path))
                    .header("Authorization", "Bearer " + adminToken)
                    .timeout(Duration.ofSeconds(60))
                    .GET()
                    .build();
        }
    }

    /** Latencies in nanoseconds, appended by one thread. */
    private static final class LatencyLog {
        private long[] values = new long[1024];
        private int size;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        void addAll(LatencyLog other) {
            for (int i = 0; i < other.size; i++) {
                add(other.values[i]);
            }
        }

        long[] sorted() {
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return sorted;
        }
    }

    /** Resident memory of this process (VmRSS), in MiB; -1 where /proc is not available. */
    static long residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    /** The 1-minute load average, or NaN where /proc is not available. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ")[0]);
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double percentile(long[] sortedNanos, double quantile) {
        return sortedNanos.length == 0 ? 0 : ServeBenchmark.percentile(sortedNanos, quantile);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
