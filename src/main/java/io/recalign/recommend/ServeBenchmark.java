package io.recalign.recommend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives a running recommendation API over HTTP: for each concurrency and decoding mode, {@code requests}
 * requests for {@code count} items of random users, sent by that many clients back to back after a warm-up
 * round; reports latency percentiles and throughput.
 */
final class ServeBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Fewest warm-up requests per run: two left the first run's figures to the JIT compiler. */
    private static final int WARM_UP_REQUESTS = 16;

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
            for (Decoding decoding : Decoding.values()) {
                // warm-up: model load, JIT compilation of the decoding's own path, connections
                measure(concurrency, decoding, Math.max(WARM_UP_REQUESTS, concurrency * 2));
                runs.add(measure(concurrency, decoding, requests));
            }
        }
        return runs;
    }

    private Run measure(int concurrency, Decoding decoding, int requests) throws Exception {
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long started = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        long sent = System.nanoTime();
                        if (!send(users.get(i % users.size()), decoding)) {
                            errors.incrementAndGet();
                        }
                        latencies[i] = System.nanoTime() - sent;
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
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(latencies);
        return new Run(concurrency, decoding.label(), requests, errors.get(), percentile(latencies, 0.50),
                percentile(latencies, 0.95), percentile(latencies, 0.99), requests / seconds);
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
