package io.recalign.recommend;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.recalign.llm.Generation;
import io.recalign.llm.GenerationSettings;
import io.recalign.llm.Sampler;
import io.recalign.system.UnprocessableException;
import io.recalign.tasks.AnswerConstraint;
import io.recalign.tasks.GuidedAnswer;
import io.recalign.tasks.ListFormat;
import io.recalign.tasks.TitleTrie;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Merges concurrent requests into batched generations on one inference thread (gradient recording off):
 * it takes the oldest waiting request, gathers the others for the same dataset until the batch is full or
 * {@code max-wait} has passed, and generates them together on the dataset's model, each sequence guided
 * by its own {@link AnswerConstraint}. The queue is bounded (a full queue refuses with 503); each batch
 * leases its model, so a hot swap lets it finish on the model it started with.
 */
@Component
@ConditionalOnProperty(name = "recalign.mode", havingValue = "server", matchIfMissing = true)
class BatchScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BatchScheduler.class);

    /** The dataset has no language model any more: the request is answered by the teacher. */
    static final class NoModelException extends RuntimeException {
        NoModelException() {
            super("no language model", null, false, false);
        }
    }

    /** A generated answer and where its time went. */
    record Completion(String answer, List<Integer> guidedItems, RecommendationResponse.Model model,
                      long queueNanos, long prefillNanos, long decodeNanos) {
    }

    /** A request waiting for or in a batch. */
    static final class Pending {
        final ResolvedRequest request;
        final CompletableFuture<Completion> result = new CompletableFuture<>();
        final long enqueued = System.nanoTime();

        Pending(ResolvedRequest request) {
            this.request = request;
        }
    }

    private final ServingModels models;
    private final ServingProperties properties;
    private final RecommendationMetrics metrics;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition waiting = lock.newCondition();
    private volatile boolean running;
    private Thread worker;
    // read and written by the worker only: the last batch's size and the requests that queued while it generated
    private int previousBatchSize;
    private int queuedDuringPrevious;

    BatchScheduler(ServingModels models, ServingProperties properties, RecommendationMetrics metrics) {
        this.models = models;
        this.properties = properties;
        this.metrics = metrics;
        metrics.queueDepth(this::depth);
    }

    /** Queues a request; fails at once with 503 when the queue is full. */
    Pending submit(ResolvedRequest request) {
        Pending pending = new Pending(request);
        lock.lock();
        try {
            if (!running) {
                throw new IllegalStateException("the inference thread is not running");
            }
            if (queue.size() >= properties.queueCapacity()) {
                throw new ServiceBusyException(properties.queueCapacity(), properties.retryAfter());
            }
            queue.addLast(pending);
            waiting.signalAll();
        } finally {
            lock.unlock();
        }
        return pending;
    }

    /** Gives up on a request (its client timed out): it leaves the queue if it has not started. */
    void abandon(Pending pending) {
        pending.result.cancel(false);
        lock.lock();
        try {
            queue.remove(pending);
        } finally {
            lock.unlock();
        }
    }

    int depth() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void start() {
        lock.lock();
        try {
            running = true;
        } finally {
            lock.unlock();
        }
        worker = new Thread(this::work, "recalign-inference");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        lock.lock();
        try {
            running = false;
            waiting.signalAll();
            queue.forEach(pending -> pending.result.completeExceptionally(new IllegalStateException("the service is stopping")));
            queue.clear();
        } finally {
            lock.unlock();
        }
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server has drained its requests (graceful shutdown), starts before it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void work() {
        Engine.getEngine("PyTorch"); // loads the native library before its first call
        JniUtils.setGradMode(false);
        JniUtils.setNumThreads(properties.intraOpThreads()); // this thread's own count (OpenMP keeps one per thread)
        while (running) {
            List<Pending> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                return;
            }
            if (!batch.isEmpty()) {
                run(batch);
            }
        }
    }

    /**
     * The oldest request and those of its dataset already queued, up to max-batch-size; then, while the
     * batch is smaller than the clients seen lately (the previous batch plus those that queued while it
     * generated), those that arrive within max-wait. Clients served together come back together: waiting for
     * them keeps concurrent clients in one batch instead of two that each wait for the other to finish,
     * while a lone client never waits.
     */
    private List<Pending> nextBatch() throws InterruptedException {
        List<Pending> batch = new ArrayList<>();
        lock.lock();
        try {
            while (running && queue.isEmpty()) {
                waiting.await();
            }
            if (!running) {
                return batch;
            }
            String dataset = queue.peekFirst().request.dataset();
            int expected = Math.min(properties.maxBatchSize(), previousBatchSize + queuedDuringPrevious);
            long deadline = System.nanoTime() + properties.maxWait().toNanos();
            while (true) {
                for (Iterator<Pending> it = queue.iterator(); it.hasNext() && batch.size() < properties.maxBatchSize(); ) {
                    Pending pending = it.next();
                    if (pending.request.dataset().equals(dataset)) {
                        it.remove();
                        if (!pending.result.isDone()) {
                            batch.add(pending);
                        }
                    }
                }
                long left = deadline - System.nanoTime();
                if (batch.size() >= expected || left <= 0 || !running) {
                    previousBatchSize = batch.size();
                    return batch;
                }
                waiting.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    private void run(List<Pending> batch) {
        Optional<ServingModel> leased = models.lease(batch.get(0).request.dataset());
        if (leased.isEmpty()) {
            batch.forEach(pending -> pending.result.completeExceptionally(new NoModelException()));
            return;
        }
        ServingModel model = leased.get();
        try {
            generate(model, batch);
        } catch (RuntimeException e) {
            log.error("A batch of {} recommendation requests failed", batch.size(), e);
            batch.forEach(pending -> pending.result.completeExceptionally(e));
        } finally {
            model.release();
        }
    }

    private void generate(ServingModel model, List<Pending> batch) {
        long started = System.nanoTime();
        int context = model.config().maxPositionEmbeddings();
        List<Pending> members = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        List<AnswerConstraint> constraints = new ArrayList<>();
        List<Pending> deferred = new ArrayList<>();
        int longestPrompt = 0;
        int largestBudget = 0;
        for (Pending pending : batch) {
            try {
                ResolvedRequest request = pending.request;
                int[] prompt = model.promptTokens(request.prompt());
                AnswerConstraint constraint = constraint(model, request);
                if (prompt.length + constraint.budget() > context) {
                    throw new UnprocessableException("the prompt (" + prompt.length + " tokens) and an answer of up to "
                            + constraint.budget() + " tokens exceed the model's context of " + context
                            + " tokens; ask for fewer items or send a shorter history or instruction");
                }
                if (Math.max(longestPrompt, prompt.length) + Math.max(largestBudget, constraint.budget()) > context) {
                    deferred.add(pending); // fits alone, not beside this batch's longest prompt
                    continue;
                }
                longestPrompt = Math.max(longestPrompt, prompt.length);
                largestBudget = Math.max(largestBudget, constraint.budget());
                members.add(pending);
                prompts.add(prompt);
                constraints.add(constraint);
            } catch (RuntimeException e) {
                pending.result.completeExceptionally(e);
            }
        }
        requeueFirst(deferred);
        if (members.isEmpty()) {
            return;
        }
        long[] firstToken = {0};
        GenerationSettings settings = new GenerationSettings(largestBudget, Set.copyOf(model.config().eosTokenIds()),
                Sampler.greedy(),
                (sequence, generated, logits) -> constraints.get(sequence).constrain(generated, logits),
                (sequence, token) -> {
                    if (firstToken[0] == 0) {
                        firstToken[0] = System.nanoTime();
                    }
                });
        List<Generation> generations = model.generator().generate(prompts, settings);
        long finished = System.nanoTime();
        // counted before any answer goes out, so a client's next request is not taken for another client
        queuedDuringPrevious = depth();
        // Metrics first: a caller that sees its answer also sees the batch it came in counted.
        metrics.batch(members.size(), generations.stream().mapToLong(generation -> generation.tokens().length).sum());
        for (int i = 0; i < members.size(); i++) {
            Pending pending = members.get(i);
            int[] generated = generations.get(i).tokens();
            List<Integer> guidedItems = null;
            if (constraints.get(i) instanceof GuidedAnswer guided) {
                if (!guided.complete(generated)) {
                    pending.result.completeExceptionally(new IllegalStateException(
                            "a guided answer ended before its last item"));
                    continue;
                }
                guidedItems = guided.items();
            }
            pending.result.complete(new Completion(model.format().text(generated), guidedItems, model.describe(),
                    started - pending.enqueued, firstToken[0] - started, finished - firstToken[0]));
        }
    }

    private static AnswerConstraint constraint(ServingModel model, ResolvedRequest request) {
        TitleTrie trie = model.trie(request.snapshot());
        ListFormat format = model.format();
        if (request.decoding() == Decoding.GUIDED) {
            return new GuidedAnswer(trie, format, request.count(), trie.inTreeOrder(request.allowed()), request.share());
        }
        return new AnswerConstraint.Free(format.budget(request.count(), trie.longest()), format.endOfSequence());
    }

    private void requeueFirst(List<Pending> deferred) {
        if (deferred.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (int i = deferred.size() - 1; i >= 0; i--) {
                queue.addFirst(deferred.get(i));
            }
            waiting.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
