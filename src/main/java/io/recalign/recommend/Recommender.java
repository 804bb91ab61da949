package io.recalign.recommend;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.tasks.AnswerFormat;
import io.recalign.tasks.TitleIndex;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TeacherService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Service;

/**
 * Answers recommendation requests: resolves and checks the request, generates with the dataset's
 * language model through the batch scheduler (guided, or free and then checked), or, when the dataset has
 * no ready language model, asks the teacher under the same controls.
 */
@Service
@ConditionalOnProperty(name = "recalign.mode", havingValue = "server", matchIfMissing = true)
class Recommender {

    private final RequestResolver resolver;
    private final ServingModels models;
    private final BatchScheduler scheduler;
    private final TeacherService teachers;
    private final RecommendationMetrics metrics;
    private final Duration timeout;
    private final Map<String, TitleIndex> titleIndexes = new ConcurrentHashMap<>();

    Recommender(RequestResolver resolver, ServingModels models, BatchScheduler scheduler, TeacherService teachers,
            RecommendationMetrics metrics, ServingProperties properties) {
        this.resolver = resolver;
        this.models = models;
        this.scheduler = scheduler;
        this.teachers = teachers;
        this.metrics = metrics;
        this.timeout = properties.requestTimeout();
    }

    RecommendationResponse recommend(RecommendationRequest body) {
        long started = System.nanoTime();
        ResolvedRequest request = resolver.resolve(body);
        RecommendationResponse response = null;
        if (models.serves(request.dataset())) {
            response = fromModel(request, started);
        }
        if (response == null) {
            response = fromTeacher(request, started);
        }
        metrics.latency(request.decoding(), response.source(), Duration.ofNanos(System.nanoTime() - started));
        metrics.violations(response.violations());
        return response;
    }

    /** The language model's answer, or null when the dataset lost its model meanwhile. */
    private RecommendationResponse fromModel(ResolvedRequest request, long started) {
        BatchScheduler.Pending pending = scheduler.submit(request);
        BatchScheduler.Completion completion;
        try {
            long left = timeout.toNanos() - (System.nanoTime() - started);
            completion = pending.result.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | CancellationException e) {
            scheduler.abandon(pending);
            throw new RequestTimeoutException(timeout);
        } catch (InterruptedException e) {
            scheduler.abandon(pending);
            Thread.currentThread().interrupt();
            throw new RequestTimeoutException(timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BatchScheduler.NoModelException) {
                return null;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
        List<Integer> items;
        List<Violation> violations;
        if (completion.guidedItems() != null) {
            items = completion.guidedItems();
            violations = List.of();
        } else {
            AnswerCheck.Checked checked = AnswerCheck.check(completion.answer(), request, titleIndex(request.snapshot()));
            items = checked.items();
            violations = checked.violations();
        }
        return new RecommendationResponse(items(request.snapshot(), items), completion.answer(), completion.model(),
                RecommendationResponse.SOURCE_LLM, violations, new RecommendationResponse.Timing(
                        millis(completion.queueNanos()), millis(completion.prefillNanos()),
                        millis(completion.decodeNanos()), millis(System.nanoTime() - started)));
    }

    private RecommendationResponse fromTeacher(ResolvedRequest request, long started) {
        Teacher teacher = teachers.require(request.dataset());
        long asked = System.nanoTime();
        List<Integer> items = TeacherRecommender.recommend(teacher, request);
        long answered = System.nanoTime();
        CatalogSnapshot snapshot = request.snapshot();
        String answer = AnswerFormat.format(items.stream().map(item -> snapshot.items().get(item).title()).toList());
        return new RecommendationResponse(items(snapshot, items), answer,
                new RecommendationResponse.Model(null, "TEACHER"), RecommendationResponse.SOURCE_TEACHER, List.of(),
                new RecommendationResponse.Timing(0, 0, millis(answered - asked), millis(answered - started)));
    }

    private TitleIndex titleIndex(CatalogSnapshot snapshot) {
        return titleIndexes.computeIfAbsent(snapshot.dataset(), dataset ->
                new TitleIndex(snapshot.items().stream().map(CatalogSnapshot.Item::title).toList()));
    }

    private static List<RecommendationResponse.Item> items(CatalogSnapshot snapshot, List<Integer> items) {
        List<RecommendationResponse.Item> described = new ArrayList<>(items.size());
        for (int rank = 0; rank < items.size(); rank++) {
            CatalogSnapshot.Item item = snapshot.items().get(items.get(rank));
            described.add(new RecommendationResponse.Item(item.externalId(), item.title(),
                    Arrays.stream(item.categories()).mapToObj(snapshot.categories()::get).toList(), rank + 1));
        }
        return described;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
