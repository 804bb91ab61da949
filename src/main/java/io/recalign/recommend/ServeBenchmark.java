package io.recalign.recommend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives a running recommendation API over HTTP: for each concurrency and decoding mode, {@code requests}
 * requests for {@code count} items of the dataset's users, sent by that many clients back to back after a
 * warm-up round, the two modes alternating in rounds; reports latency percentiles and throughput.
 */
final class ServeBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Fewest warm-up requests per run: two left the first run's figures to the JIT compiler. */
    private static final int WARM_UP_REQUESTS = 16;

    /**
     * Rounds per concurrency, each sending a quarter of the requests guided and then the same users free, so
     * that a drift in the machine's speed falls on both modes alike: run one after the other, the two
     * modes' medians at concurrency 1 differed by -17 to +33 % between runs of the same build.
     */
    private static final int ROUNDS = 4;

    /** Figures of one concurrency and decoding mode. */
    record Run(int concurrency, String decoding, int requests, int errors, double p50Ms, double p95Ms, double p99Ms,
               double throughput) {
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI endpoint;
    private final String dataset;
    private final List<String> users;
    private final int count;

    ServeBenchmark(URI base, String dataset, List<String> users, int count) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("dataset " + dataset + " has no users to ask for");
        }
        this.endpoint = base.resolve(RecommendationsController.PATH);
        this.dataset = dataset;
        this.users = List.copyOf(users);
        this.count = count;
    }

    List<Run> run(List<Integer> concurrencies, int requests) throws Exception {
        List<Run> runs = new ArrayList<>();
        for (int concurrency : concurrencies) {
            Map<Decoding, Tally> tallies = new EnumMap<>(Decoding.class);
            for (Decoding decoding : Decoding.values()) {
                // warm-up: model load, JIT compilation of the decoding's own path, connections
                measure(concurrency, decoding, 0, Math.max(WARM_UP_REQUESTS, concurrency * 2), new Tally());
                tallies.put(decoding, new Tally());
            }
            for (int round = 0; round < ROUNDS; round++) {
                int from = requests * round / ROUNDS;
                int to = requests * (round + 1) / ROUNDS;
                for (Decoding decoding : Decoding.values()) {
                    measure(concurrency, decoding, from, to, tallies.get(decoding));
                }
            }
            tallies.forEach((decoding, tally) -> runs.add(tally.run(concurrency, decoding)));
        }
        return runs;
    }

    /** Sends requests {@code [from, to)} (request i asks for user i) from {@code concurrency} clients into the tally. */
    private void measure(int concurrency, Decoding decoding, int from, int to, Tally tally) throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long started = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                        long sent = System.nanoTime();
                        boolean answered = send(users.get(i % users.size()), decoding);
                        tally.add(System.nanoTime() - sent, answered);
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        tally.addSeconds((System.nanoTime() - started) / 1e9);
    }

    /** Latencies, errors and measuring time of one concurrency and decoding mode, over its rounds. */
    private static final class Tally {
        private final List<Long> latencies = new ArrayList<>();
        private int errors;
        private double seconds;

        synchronized void add(long latencyNanos, boolean answered) {
            latencies.add(latencyNanos);
            errors += answered ? 0 : 1;
        }

        synchronized void addSeconds(double elapsed) {
            seconds += elapsed;
        }

        synchronized Run run(int concurrency, Decoding decoding) {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Run(concurrency, decoding.label(), sorted.length, errors, percentile(sorted, 0.50),
                    percentile(sorted, 0.95), percentile(sorted, 0.99), sorted.length / seconds);
        }
    }

    private boolean send(String user, Decoding decoding) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(java.util.Map.of("dataset", dataset, "userId", user, "count", count,
                "decoding", decoding.label()));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    /** Nearest-rank percentile in milliseconds. */
    static double percentile(long[] sortedNanos, double quantile) {
        int rank = (int) Math.ceil(quantile * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }
}
