package io.recalign.system;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar for foreground jobs, e.g.
 * {@code epoch 12/200 [###.................]   6%  loss 1.2345  lr 1.00e-03  ETA 1m20s}.
 * On a terminal the line redraws in place (at most five times a second) and each logged point stays
 * as a line of its own; elsewhere (CI logs, pipes) only the logged points are printed. Write it to
 * standard error so that standard output keeps the command's result.
 */
public final class ProgressBar implements Consumer<ProgressUpdate> {

    private static final int WIDTH = 20;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final boolean interactive;
    private final LongSupplier nanoClock;
    private boolean drawn;
    private long lastDrawNanos;
    private int lastLength;

    ProgressBar(PrintWriter out, boolean interactive, LongSupplier nanoClock) {
        this.out = out;
        this.interactive = interactive;
        this.nanoClock = nanoClock;
    }

    /** Redraws in place when the JVM has a terminal, prints logged points only otherwise. */
    public static ProgressBar on(PrintWriter out) {
        return new ProgressBar(out, System.console() != null, System::nanoTime);
    }

    @Override
    public synchronized void accept(ProgressUpdate update) {
        JobProgress progress = update.progress();
        boolean finished = progress.total() > 0 && progress.step() >= progress.total();
        if (!interactive) {
            if (update.logged() || finished) {
                out.println(render(update));
                out.flush();
            }
            return;
        }
        long now = nanoClock.getAsLong();
        if (drawn && !update.logged() && !finished && now - lastDrawNanos < REDRAW_NANOS) {
            return;
        }
        drawn = true;
        lastDrawNanos = now;
        String line = render(update);
        // pad over the rest of a longer previous line
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        if (update.logged() || finished) {
            out.println();
            lastLength = 0;
        } else {
            lastLength = line.length();
        }
        out.flush();
    }

    static String render(ProgressUpdate update) {
        JobProgress progress = update.progress();
        StringBuilder line = new StringBuilder();
        if (progress.phase() != null) {
            line.append(progress.phase()).append(' ');
        }
        line.append(progress.unit()).append(' ').append(progress.step());
        if (progress.total() > 0) {
            double fraction = progress.fraction();
            int filled = (int) Math.round(fraction * WIDTH);
            line.append('/').append(progress.total())
                    .append(" [").append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3.0f%%", 100 * fraction));
        }
        if (progress.loss() != null) {
            line.append(String.format(Locale.ROOT, "  loss %.4f", progress.loss()));
        }
        if (progress.learningRate() != null) {
            line.append(String.format(Locale.ROOT, "  lr %.2e", progress.learningRate()));
        }
        if (progress.tokensPerSecond() != null) {
            line.append(String.format(Locale.ROOT, "  %,.0f tok/s", progress.tokensPerSecond()));
        }
        for (Map.Entry<String, Double> metric : progress.metrics().entrySet()) {
            line.append("  ").append(metric.getKey()).append(' ').append(number(metric.getValue()));
        }
        line.append("  ").append(duration(update.elapsedSeconds()));
        if (update.etaSeconds() != null && update.etaSeconds() > 0) {
            line.append("  ETA ").append(duration(update.etaSeconds()));
        }
        return line.toString();
    }

    /** A metric: counts (updates, skipped steps) as whole numbers, other figures to four decimals. */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.4f", value);
    }

    /** 45s, 3m20s, 2h05m. */
    static String duration(double seconds) {
        long total = Math.round(seconds);
        if (total < 60) {
            return total + "s";
        }
        if (total < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", total / 60, total % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", total / 3600, total % 3600 / 60);
    }
}
