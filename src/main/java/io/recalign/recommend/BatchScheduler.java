package io.recalign.recommend;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.recalign.llm.DecodingBatch;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * Decodes concurrent requests together, continuously, on one inference thread (gradient recording off): the
 * oldest waiting request starts a batch on its dataset's model with the others of that dataset already
 * queued; requests of that dataset that arrive while it decodes join it at the next step (up to
 * max-batch-size at once), and each answer goes out on its last token, each sequence guided by its own
 * {@link AnswerConstraint}; a request whose client gave up leaves at the next step. The queue is bounded (a
 * full queue refuses with 503). Each batch leases its model:
 * after a hot swap, or while a request of another dataset waits, nothing joins it, so it drains on the model
 * it started with and the next batch serves the waiting request.
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

    /** A request in the running batch: its constraint and when its phases began. */
    private static final class Member {
        final Pending pending;
        final AnswerConstraint constraint;
        final long joined = System.nanoTime();
        long firstToken;

        Member(Pending pending, AnswerConstraint constraint) {
            this.pending = pending;
            this.constraint = constraint;
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
    // read and written by the worker only: the requests answered in the last batch's final step, and those
    // queued when it drained
    private int answeredAtDrain;
    private int queuedAtDrain;

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

    /** Stops taking requests; the running batch still answers those in it. */
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
            List<Pending> first;
            try {
                first = nextBatch();
            } catch (InterruptedException e) {
                return;
            }
            if (!first.isEmpty()) {
                run(first);
            }
        }
    }

    /**
     * The requests that start a batch: the oldest and those of its dataset already queued, up to
     * max-batch-size; then, while they are fewer than the clients seen lately (those answered in the last
     * batch's final step plus those already queued when those answers went out), those that arrive within
     * max-wait. Clients answered together come back together: waiting for them lets one prefill pass serve
     * them all, while a lone client never waits.
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
            int expected = Math.min(properties.maxBatchSize(), answeredAtDrain + queuedAtDrain);
            long deadline = System.nanoTime() + properties.maxWait().toNanos();
            while (true) {
                takeQueued(dataset, properties.maxBatchSize(), batch);
                long left = deadline - System.nanoTime();
                if (batch.size() >= expected || left <= 0 || !running) {
                    return batch;
                }
                waiting.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs one batch on the dataset's model until it drains: each step, queued requests of the dataset join
     * (up to max-batch-size in the batch), and each answer completes on its last token.
     */
    private void run(List<Pending> first) {
        String dataset = first.get(0).request.dataset();
        Optional<ServingModel> leased = models.lease(dataset);
        if (leased.isEmpty()) {
            first.forEach(pending -> pending.result.completeExceptionally(new NoModelException()));
            return;
        }
        ServingModel model = leased.get();
        Map<DecodingBatch.Sequence, Member> members = new HashMap<>();
        try (DecodingBatch batch = model.newBatch()) {
            List<Pending> joining = first;
            int answered = 0;
            int queuedBeforeAnswers = 0;
            while (true) {
                join(model, batch, joining, members);
                batch.leave(abandoned(members));
                if (batch.isEmpty()) {
                    break;
                }
                metrics.decodingStep(batch.size());
                List<DecodingBatch.Sequence> ended = batch.step();
                // counted before the answers go out: a client that comes straight back is one of the answered, not
                // a second client to wait for
                queuedBeforeAnswers = depth();
                for (DecodingBatch.Sequence sequence : ended) {
                    complete(model, members.remove(sequence), sequence.result());
                }
                answered = ended.size();
                joining = model.retired() ? List.of() : joiners(dataset, properties.maxBatchSize() - batch.size());
            }
            answeredAtDrain = answered;
            queuedAtDrain = queuedBeforeAnswers;
        } catch (RuntimeException e) {
            log.error("A batch of {} recommendation requests failed", members.size(), e);
            members.values().forEach(member -> member.pending.result.completeExceptionally(e));
        } finally {
            model.release();
        }
    }

    /** Prefills the requests that fit the model together and adds them to the batch; the others fail alone. */
    private void join(ServingModel model, DecodingBatch batch, List<Pending> joining, Map<DecodingBatch.Sequence, Member> members) {
        int context = model.config().maxPositionEmbeddings();
        Set<Integer> stopTokens = Set.copyOf(model.config().eosTokenIds());
        List<Member> admitted = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        List<GenerationSettings> settings = new ArrayList<>();
        for (Pending pending : joining) {
            try {
                ResolvedRequest request = pending.request;
                int[] prompt = model.promptTokens(request.prompt());
                AnswerConstraint constraint = constraint(model, request);
                if (prompt.length + constraint.budget() > context) {
                    throw new UnprocessableException("the prompt (" + prompt.length + " tokens) and an answer of up to "
                            + constraint.budget() + " tokens exceed the model's context of " + context
                            + " tokens; ask for fewer items or send a shorter history or instruction");
                }
                Member member = new Member(pending, constraint);
                admitted.add(member);
                prompts.add(prompt);
                settings.add(new GenerationSettings(constraint.budget(), stopTokens, Sampler.greedy(),
                        (sequence, generated, logits) -> constraint.constrain(generated, logits),
                        (sequence, token) -> {
                            if (member.firstToken == 0) {
                                member.firstToken = System.nanoTime();
                            }
                        }));
            } catch (RuntimeException e) {
                pending.result.completeExceptionally(e);
            }
        }
        if (admitted.isEmpty()) {
            return;
        }
        List<DecodingBatch.Sequence> sequences;
        try {
            sequences = batch.join(prompts, settings);
        } catch (RuntimeException e) {
            admitted.forEach(member -> member.pending.result.completeExceptionally(e));
            throw e;
        }
        for (int i = 0; i < sequences.size(); i++) {
            members.put(sequences.get(i), admitted.get(i));
        }
    }

    /** The members whose clients gave up (timed out): decoding them further would serve nobody. */
    private static List<DecodingBatch.Sequence> abandoned(Map<DecodingBatch.Sequence, Member> members) {
        List<DecodingBatch.Sequence> abandoned = members.entrySet().stream()
                .filter(entry -> entry.getValue().pending.result.isCancelled())
                .map(Map.Entry::getKey)
                .toList();
        abandoned.forEach(members::remove);
        return abandoned;
    }

    private void complete(ServingModel model, Member member, Generation generation) {
        long finished = System.nanoTime();
        int[] generated = generation.tokens();
        metrics.generated(generated.length);
        List<Integer> guidedItems = null;
        if (member.constraint instanceof GuidedAnswer guided) {
            if (!guided.complete(generated)) {
                member.pending.result.completeExceptionally(new IllegalStateException("a guided answer ended before its last item"));
                return;
            }
            guidedItems = guided.items();
        }
        member.pending.result.complete(new Completion(model.format().text(generated), guidedItems, model.describe(),
                member.joined - member.pending.enqueued, member.firstToken - member.joined, finished - member.firstToken));
    }

    /**
     * Up to {@code room} queued requests of the running batch's dataset, oldest first; none while the oldest
     * waiting request is another dataset's, so the batch drains and that one is served next.
     */
    private List<Pending> joiners(String dataset, int room) {
        List<Pending> joining = new ArrayList<>();
        lock.lock();
        try {
            if (running && !queue.isEmpty() && queue.peekFirst().request.dataset().equals(dataset)) {
                takeQueued(dataset, room, joining);
            }
        } finally {
            lock.unlock();
        }
        return joining;
    }

    /** Moves queued requests of {@code dataset} into {@code taken} until it holds {@code limit}; skips abandoned ones. */
    private void takeQueued(String dataset, int limit, List<Pending> taken) {
        for (Iterator<Pending> it = queue.iterator(); it.hasNext() && taken.size() < limit; ) {
            Pending pending = it.next();
            if (pending.request.dataset().equals(dataset)) {
                it.remove();
                if (!pending.result.isDone()) {
                    taken.add(pending);
                }
            }
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
}
