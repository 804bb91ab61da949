package io.recalign.system;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Jobs as Micrometer metrics: {@code recalign.jobs{status}} (queued and running, over every process
 * sharing the database), {@code recalign.jobs.finished{type,status}}, and while this process runs a
 * job, {@code recalign.job.progress|step|loss|eta|tokens.per.second{type}}.
 */
@Component
class JobMetrics {

    private static final long COUNTS_MAX_AGE_NANOS = 1_000_000_000L;

    private final MeterRegistry registry;
    private final JobStore store;
    private Map<JobStatus, Long> counts = Map.of();
    private long countedAtNanos;
    private boolean counted;

    JobMetrics(MeterRegistry registry, JobStore store) {
        this.registry = registry;
        this.store = store;
        for (JobStatus status : List.of(JobStatus.QUEUED, JobStatus.RUNNING)) {
            Gauge.builder("recalign.jobs", this, metrics -> metrics.count(status))
                    .tag("status", status.name().toLowerCase(Locale.ROOT))
                    .description("Jobs waiting or running, over every process sharing the database")
                    .register(registry);
        }
    }

    /** Gauges of a job this process runs, removed when the returned handle closes. */
    RunningGauges running(String type, Supplier<ProgressUpdate> latest) {
        List<Meter> meters = List.of(
                gauge("recalign.job.progress", type, "Share of the running job's work done", null,
                        latest, update -> update.progress().fraction()),
                gauge("recalign.job.step", type, "Steps (or epochs) the running job has done", null,
                        latest, update -> (double) update.progress().step()),
                gauge("recalign.job.loss", type, "Latest training loss of the running job", null,
                        latest, update -> update.progress().loss()),
                gauge("recalign.job.eta", type, "Estimated time the running job still needs", "seconds",
                        latest, ProgressUpdate::etaSeconds),
                gauge("recalign.job.tokens.per.second", type, "Training throughput of the running job", null,
                        latest, update -> update.progress().tokensPerSecond()));
        return () -> meters.forEach(registry::remove);
    }

    void finished(String type, JobStatus status) {
        Counter.builder("recalign.jobs.finished")
                .tag("type", type)
                .tag("status", status.name().toLowerCase(Locale.ROOT))
                .description("Jobs that ended, by type and final status")
                .register(registry)
                .increment();
    }

    private Meter gauge(String name, String type, String description, String unit,
            Supplier<ProgressUpdate> latest, Function<ProgressUpdate, Double> value) {
        return Gauge.builder(name, latest, supplier -> {
                    ProgressUpdate update = supplier.get();
                    Double number = update == null ? null : value.apply(update);
                    return number == null ? Double.NaN : number;
                })
                .tag("type", type)
                .description(description)
                .baseUnit(unit)
                .strongReference(true)
                .register(registry);
    }

    /** Scrapes read the database at most once a second; NaN while it cannot be reached. */
    private synchronized double count(JobStatus status) {
        long now = System.nanoTime();
        if (!counted || now - countedAtNanos > COUNTS_MAX_AGE_NANOS) {
            try {
                counts = store.activeCounts();
            } catch (RuntimeException e) {
                counts = Map.of();
            }
            countedAtNanos = now;
            counted = true;
        }
        Long count = counts.get(status);
        return count == null ? Double.NaN : count;
    }

    /** Removes a running job's gauges. */
    @FunctionalInterface
    interface RunningGauges extends AutoCloseable {
        @Override
        void close();
    }
}
