package io.recalign.system;

import java.util.Map;
import java.util.function.LongSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a job's progress reports into its progress document: the latest report, elapsed time, rate
 * and ETA, the result, and a bounded history of logged points. A resumed job keeps the document of
 * its earlier runs (history, elapsed time) and counts the resume.
 */
final class ProgressTracker {

    private static final double NANOS_PER_SECOND = 1e9;

    private final ObjectNode document;
    private final int historyLimit;
    private final LongSupplier nanoClock;
    private final long runStartNanos;
    private final double secondsOfEarlierRuns;

    // the first report of this run with the current unit and total: the rate is measured from it
    private long baseNanos;
    private long baseStep = -1;
    private String baseUnit;
    private long baseTotal;

    ProgressTracker(ObjectNode previous, boolean resuming, int historyLimit, LongSupplier nanoClock) {
        if (historyLimit < 2) {
            throw new IllegalArgumentException("the history must keep at least 2 points, not " + historyLimit);
        }
        this.document = previous.deepCopy();
        this.historyLimit = historyLimit;
        this.nanoClock = nanoClock;
        this.runStartNanos = nanoClock.getAsLong();
        this.secondsOfEarlierRuns = resuming ? document.path("elapsedSeconds").asDouble(0) : 0;
        if (resuming) {
            document.put("resumes", document.path("resumes").asInt(0) + 1);
            document.remove("unitsPerSecond");
            document.remove("etaSeconds");
        }
    }

    ProgressUpdate update(long jobId, JobProgress progress, boolean logged) {
        long now = nanoClock.getAsLong();
        if (baseStep < 0 || !progress.unit().equals(baseUnit) || progress.total() != baseTotal || progress.step() < baseStep) {
            baseNanos = now;
            baseStep = progress.step();
            baseUnit = progress.unit();
            baseTotal = progress.total();
        }
        double elapsed = secondsOfEarlierRuns + (now - runStartNanos) / NANOS_PER_SECOND;
        double measuredSeconds = (now - baseNanos) / NANOS_PER_SECOND;
        Double rate = progress.step() > baseStep && measuredSeconds > 0
                ? (progress.step() - baseStep) / measuredSeconds : null;
        Double eta = progress.total() == 0 ? null
                : progress.step() >= progress.total() ? Double.valueOf(0)
                : rate == null ? null : (progress.total() - progress.step()) / rate;

        putOrRemove(document, "phase", progress.phase());
        document.put("unit", progress.unit());
        document.put("step", progress.step());
        document.put("total", progress.total());
        putNumber(document, "fraction", progress.fraction());
        putNumber(document, "loss", progress.loss());
        putNumber(document, "learningRate", progress.learningRate());
        putNumber(document, "tokensPerSecond", progress.tokensPerSecond());
        putMetrics(document, progress.metrics());
        document.put("elapsedSeconds", round(elapsed));
        putNumber(document, "unitsPerSecond", rate == null ? null : round(rate));
        putNumber(document, "etaSeconds", eta == null ? null : round(eta));
        if (logged) {
            appendToHistory(progress, elapsed);
        }
        return new ProgressUpdate(jobId, progress, elapsed, rate, eta, logged);
    }

    void result(JsonNode result) {
        document.set("result", result);
    }

    JsonNode result() {
        return document.get("result");
    }

    String json() {
        return JobParams.write(document);
    }

    private void appendToHistory(JobProgress progress, double elapsed) {
        ArrayNode history = document.has("history") ? (ArrayNode) document.get("history") : document.putArray("history");
        ObjectNode point = history.addObject();
        putOrRemove(point, "phase", progress.phase());
        point.put("unit", progress.unit());
        point.put("step", progress.step());
        point.put("elapsedSeconds", round(elapsed));
        putNumber(point, "loss", progress.loss());
        putNumber(point, "learningRate", progress.learningRate());
        putNumber(point, "tokensPerSecond", progress.tokensPerSecond());
        putMetrics(point, progress.metrics());
        if (history.size() > historyLimit) {
            thin(history);
        }
    }

    /** Drops every other point but the last: a long run keeps the shape of its whole curve. */
    private static void thin(ArrayNode history) {
        int last = history.size() - 1;
        for (int i = last - 1; i > 0; i--) {
            if (i % 2 == 1) {
                history.remove(i);
            }
        }
    }

    private static void putMetrics(ObjectNode target, Map<String, Double> metrics) {
        if (metrics.isEmpty()) {
            target.remove("metrics");
            return;
        }
        ObjectNode node = target.putObject("metrics");
        metrics.forEach((name, value) -> putNumber(node, name, value));
    }

    private static void putOrRemove(ObjectNode target, String name, String value) {
        if (value == null) {
            target.remove(name);
        } else {
            target.put(name, value);
        }
    }

    /** Absent values are left out; NaN and infinities (a diverged loss) become JSON null. */
    private static void putNumber(ObjectNode target, String name, Double value) {
        if (value == null) {
            target.remove(name);
        } else if (value.isNaN() || value.isInfinite()) {
            target.putNull(name);
        } else {
            target.put(name, value);
        }
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
