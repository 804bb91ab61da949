package io.recalign.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recalign.alignment.LoadedModel;
import io.recalign.alignment.ModelKind;
import io.recalign.alignment.ModelRegistry;
import io.recalign.alignment.ModelStatus;
import io.recalign.alignment.RegisteredModel;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.LlamaModel;
import io.recalign.tasks.ControlledRequest;
import io.recalign.tasks.GuidedFixtures;
import io.recalign.tasks.PromptRenderer;
import io.recalign.tasks.Selection;
import io.recalign.teacher.TeacherService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler with real tiny models and a registry stand-in: concurrent requests share batches, a full
 * queue refuses, a slow answer times out, and a model swapped under load fails no request.
 */
class BatchSchedulerTest {

    private static final String DATASET = "batching";
    private static final CatalogSnapshot CATALOG = GuidedFixtures.catalog(DATASET, 80, 10, 23);
    private static final GuidedFixtures.TokenizerJson TOKENIZER = GuidedFixtures.wordLevel(CATALOG);
    private static NDManager manager;
    private static int threads;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RecommendationMetrics metrics = new RecommendationMetrics(meters);
    private BatchScheduler scheduler;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
        threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @AfterAll
    static void stop() {
        JniUtils.setNumThreads(threads);
        manager.close();
    }

    @AfterEach
    void stopScheduler() {
        if (scheduler != null && scheduler.isRunning()) {
            scheduler.stop();
        }
    }

    @Test
    void concurrentRequestsAreDecodedTogetherAndAllAnswered() throws Exception {
        ServingModel model = ServingFixtures.servingModel(1, DATASET, TOKENIZER, manager, 3);
        ServingModels models = fixed(model);
        scheduler = start(models, properties(8, Duration.ofMillis(20), 64, Duration.ofSeconds(60)));

        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<BatchScheduler.Completion>> answers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                Decoding decoding = i % 2 == 0 ? Decoding.GUIDED : Decoding.FREE;
                int count = 1 + i % 5;
                answers.add(clients.submit(() -> scheduler.submit(request(count, decoding)).result.get(60, TimeUnit.SECONDS)));
            }
            for (int i = 0; i < answers.size(); i++) {
                BatchScheduler.Completion completion = answers.get(i).get();
                assertThat(completion.model().id()).isEqualTo(1L);
                if (i % 2 == 0) {
                    assertThat(completion.guidedItems()).hasSize(1 + i % 5);
                } else {
                    assertThat(completion.guidedItems()).isNull();
                }
            }
        } finally {
            clients.shutdownNow();
            model.retire();
        }
        DistributionSummary steps = meters.get(RecommendationMetrics.BATCH_SIZE).summary();
        double tokens = meters.get(RecommendationMetrics.TOKENS).counter().count();
        assertThat(tokens).isPositive();
        assertThat(steps.totalAmount()).as("each step yields one token per request in it").isEqualTo(tokens);
        assertThat(steps.count()).as("steps shared by several requests").isLessThan((long) tokens);
        assertThat(steps.max()).isGreaterThan(1);
    }

    @Test
    void requestsJoinTheRunningBatchMidAnswerAndLeaveOnTheirLastTokenOrWhenAbandoned() throws Exception {
        ServingModel model = ServingFixtures.servingModel(1, DATASET, TOKENIZER, manager, 3);
        scheduler = start(fixed(model), properties(8, Duration.ZERO, 64, Duration.ofSeconds(60)));
        DistributionSummary steps = meters.get(RecommendationMetrics.BATCH_SIZE).summary();
        try {
            BatchScheduler.Pending longer = submitAndAwaitDecoding(request(20, Decoding.GUIDED));
            BatchScheduler.Completion shorter = scheduler.submit(request(1, Decoding.GUIDED)).result.get(60, TimeUnit.SECONDS);

            assertThat(longer.result).as("the twenty-item answer is still being written").isNotDone();
            assertThat(shorter.guidedItems()).hasSize(1);
            assertThat(steps.max()).as("the two shared steps").isEqualTo(2);

            scheduler.abandon(longer);
            long stepsBefore = steps.count();
            double requestStepsBefore = steps.totalAmount();
            BatchScheduler.Completion next = scheduler.submit(request(1, Decoding.GUIDED)).result.get(60, TimeUnit.SECONDS);

            assertThat(next.guidedItems()).hasSize(1);
            assertThat(steps.totalAmount() - requestStepsBefore).as("the abandoned answer left: the next one decoded alone")
                    .isEqualTo(steps.count() - stepsBefore);
        } finally {
            model.retire();
        }
    }

    @Test
    void aLoneClientNeverWaitsForOthers() throws Exception {
        ServingModel model = ServingFixtures.servingModel(1, DATASET, TOKENIZER, manager, 3);
        scheduler = start(fixed(model), properties(8, Duration.ofSeconds(5), 64, Duration.ofSeconds(60)));
        try {
            for (int i = 0; i < 3; i++) {
                BatchScheduler.Completion completion =
                        scheduler.submit(request(2, Decoding.GUIDED)).result.get(60, TimeUnit.SECONDS);
                // max-wait is 5 s: only a batch after a larger one waits for company
                assertThat(Duration.ofNanos(completion.queueNanos())).isLessThan(Duration.ofSeconds(1));
            }
        } finally {
            model.retire();
        }
        assertThat(meters.get(RecommendationMetrics.BATCH_SIZE).summary().max()).isEqualTo(1);
    }

    @Test
    void aFullQueueRefusesAndAnAbandonedRequestLeavesIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        ServingModels models = mock(ServingModels.class);
        when(models.lease(DATASET)).thenAnswer(invocation -> {
            busy.countDown();
            release.await(30, TimeUnit.SECONDS);
            return Optional.empty();
        });
        scheduler = start(models, properties(1, Duration.ZERO, 2, Duration.ofSeconds(60)));

        BatchScheduler.Pending running = scheduler.submit(request(3, Decoding.GUIDED));
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        BatchScheduler.Pending first = scheduler.submit(request(3, Decoding.GUIDED));
        scheduler.submit(request(3, Decoding.FREE));

        assertThatThrownBy(() -> scheduler.submit(request(3, Decoding.GUIDED)))
                .isInstanceOf(ServiceBusyException.class)
                .satisfies(e -> assertThat(((ServiceBusyException) e).retryAfterSeconds()).isEqualTo(1));
        assertThat(meters.get(RecommendationMetrics.QUEUE_DEPTH).gauge().value()).isEqualTo(2);

        scheduler.abandon(first);
        assertThat(scheduler.depth()).isEqualTo(1);
        scheduler.submit(request(3, Decoding.GUIDED));
        release.countDown();
        assertThatThrownBy(() -> running.result.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(BatchScheduler.NoModelException.class);
    }

    @Test
    void aRequestNotAnsweredInTimeIsAGatewayTimeout() {
        CountDownLatch release = new CountDownLatch(1);
        ServingModels models = mock(ServingModels.class);
        when(models.serves(DATASET)).thenReturn(true);
        when(models.lease(DATASET)).thenAnswer(invocation -> {
            release.await(30, TimeUnit.SECONDS);
            return Optional.empty();
        });
        ServingProperties properties = properties(1, Duration.ZERO, 8, Duration.ofMillis(300));
        scheduler = start(models, properties);
        RequestResolver resolver = mock(RequestResolver.class);
        RecommendationRequest body = new RecommendationRequest(DATASET, null, null, 3, null, null, null, null, null, null);
        when(resolver.resolve(body)).thenReturn(request(3, Decoding.GUIDED));
        Recommender recommender = new Recommender(resolver, models, scheduler, mock(TeacherService.class), metrics, properties);

        try {
            assertThatThrownBy(() -> recommender.recommend(body)).isInstanceOf(RequestTimeoutException.class)
                    .hasMessageContaining("300 ms")
                    .satisfies(e -> assertThat(((RequestTimeoutException) e).status().value()).isEqualTo(504));
            assertThat(scheduler.depth()).as("the abandoned request left the queue").isZero();
        } finally {
            release.countDown();
        }
    }

    @Test
    void swappingTheModelUnderLoadFailsNoRequest() throws Exception {
        ModelRegistry registry = mock(ModelRegistry.class);
        AtomicLong activeId = new AtomicLong(11);
        when(registry.active(DATASET)).thenAnswer(invocation -> Optional.of(info(activeId.get())));
        List<LoadedModel> loaded = new ArrayList<>();
        when(registry.load(anyLong())).thenAnswer(invocation -> {
            long id = invocation.getArgument(0);
            LoadedModel model = new LoadedModel(info(id),
                    LlamaModel.create(ServingFixtures.tinyConfig(TOKENIZER.vocabSize()), manager, id), TOKENIZER.open());
            loaded.add(model);
            return model;
        });
        CatalogService catalog = mock(CatalogService.class);
        when(catalog.snapshot(DATASET)).thenReturn(CATALOG);
        ServingModels models = new ServingModels(registry, catalog);
        scheduler = start(models, properties(4, Duration.ofMillis(2), 64, Duration.ofSeconds(60)));
        assertThat(models.serves(DATASET)).isTrue();

        ExecutorService clients = Executors.newFixedThreadPool(6);
        AtomicBoolean swapped = new AtomicBoolean();
        List<Future<List<Long>>> workers = new ArrayList<>();
        try {
            for (int w = 0; w < 6; w++) {
                workers.add(clients.submit(() -> {
                    List<Long> served = new ArrayList<>();
                    // keep asking until the swap happened and two more answers came from the new model
                    while (served.stream().filter(id -> id == 12L).count() < 2) {
                        served.add(scheduler.submit(request(4, Decoding.GUIDED)).result.get(60, TimeUnit.SECONDS).model().id());
                        if (served.size() > 200) {
                            throw new AssertionError("the new model never answered");
                        }
                    }
                    return served;
                }));
            }
            Thread.sleep(300);
            activeId.set(12);
            models.refresh(DATASET);
            swapped.set(true);
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> worker : workers) {
                all.addAll(worker.get(120, TimeUnit.SECONDS));
            }
            assertThat(all).contains(11L, 12L);
        } finally {
            clients.shutdownNow();
            models.close();
        }
        assertThat(swapped).isTrue();
        assertThat(loaded).hasSize(2);
        // the retired model was closed once its last batch ended: its tokenizer no longer encodes
        assertThatThrownBy(() -> loaded.get(0).tokenizer().encode("x")).isInstanceOf(RuntimeException.class);
    }

    /** Submits a request and returns once the batch it started has taken its first step. */
    private BatchScheduler.Pending submitAndAwaitDecoding(ResolvedRequest request) throws InterruptedException {
        BatchScheduler.Pending pending = scheduler.submit(request);
        DistributionSummary steps = meters.get(RecommendationMetrics.BATCH_SIZE).summary();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (steps.count() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return pending;
    }

    private BatchScheduler start(ServingModels models, ServingProperties properties) {
        BatchScheduler started = new BatchScheduler(models, properties, metrics);
        started.start();
        return started;
    }

    private static ServingModels fixed(ServingModel model) {
        ServingModels models = mock(ServingModels.class);
        when(models.lease(DATASET)).thenAnswer(invocation -> model.lease() ? Optional.of(model) : Optional.empty());
        return models;
    }

    private static ServingProperties properties(int maxBatch, Duration maxWait, int capacity, Duration timeout) {
        return new ServingProperties(maxBatch, maxWait, capacity, Duration.ofSeconds(1), timeout, Duration.ofSeconds(2),
                org.springframework.util.unit.DataSize.ofKilobytes(64), 0);
    }

    private static RegisteredModel info(long id) {
        return new RegisteredModel(id, ModelKind.SFT, null, DATASET, null, "models/" + id, "0", ModelStatus.READY, true,
                Map.of(), Map.of(), null, Instant.now());
    }

    private static ResolvedRequest request(int count, Decoding decoding) {
        int[] history = CATALOG.users().get(count % CATALOG.users().size()).items();
        BitSet allowed = Selection.allowedItems(CATALOG, history, new int[0], new int[0], null);
        List<String> titles = java.util.Arrays.stream(history).mapToObj(item -> CATALOG.items().get(item).title()).toList();
        return new ResolvedRequest(CATALOG, history, count, new int[0], new int[0], null, null, decoding,
                PromptRenderer.render(ControlledRequest.of(titles, count)), allowed);
    }
}
