package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void rendersStepBarLossRateMetricsAndEta() {
        JobProgress progress = JobProgress.epochs(12, 200).withLoss(1.23456).withLearningRate(0.001)
                .withTokensPerSecond(12345.6).withMetric("valid_ndcg@10", 0.0612);

        String line = ProgressBar.render(new ProgressUpdate(1, progress, 95, 0.126, 1490.0, false));

        assertThat(line).isEqualTo("epoch 12/200 [#...................]   6%  loss 1.2346  lr 1.00e-03"
                + "  12,346 tok/s  valid_ndcg@10 0.0612  1m35s  ETA 24m50s");
    }

    @Test
    void writesCountsAsWholeNumbersAndOtherFiguresToFourDecimals() {
        assertThat(ProgressBar.number(2.0)).isEqualTo("2");
        assertThat(ProgressBar.number(0.0)).isEqualTo("0");
        assertThat(ProgressBar.number(-3.0)).isEqualTo("-3");
        assertThat(ProgressBar.number(1.23456)).isEqualTo("1.2346");
        assertThat(ProgressBar.number(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void rendersAPhaseAndAnOpenEndedCount() {
        String line = ProgressBar.render(new ProgressUpdate(1, JobProgress.steps(40, 0).withPhase("validating"), 3, null, null, false));

        assertThat(line).isEqualTo("validating step 40  3s");
    }

    @Test
    void formatsDurations() {
        assertThat(ProgressBar.duration(44.6)).isEqualTo("45s");
        assertThat(ProgressBar.duration(200)).isEqualTo("3m20s");
        assertThat(ProgressBar.duration(7500)).isEqualTo("2h05m");
    }

    @Test
    void withoutATerminalOnlyLoggedPointsAndTheEndArePrinted() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), false, System::nanoTime);

        bar.accept(new ProgressUpdate(1, JobProgress.steps(1, 3), 1, null, null, false));
        bar.accept(new ProgressUpdate(1, JobProgress.steps(2, 3).withLoss(0.5), 2, 1.0, 1.0, true));
        bar.accept(new ProgressUpdate(1, JobProgress.steps(3, 3), 3, 1.0, 0.0, false));

        assertThat(text.toString().lines()).hasSize(2)
                .first().asString().startsWith("step 2/3 [#############.......]  67%  loss 0.5000");
        assertThat(text.toString()).doesNotContain("\r");
    }

    @Test
    void onATerminalRedrawsInPlaceAtMostFiveTimesASecondAndKeepsLoggedLines() {
        StringWriter text = new StringWriter();
        AtomicLong clock = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), true, clock::get);

        bar.accept(new ProgressUpdate(1, JobProgress.steps(1, 100), 1, null, null, false));
        clock.addAndGet(50_000_000L);
        bar.accept(new ProgressUpdate(1, JobProgress.steps(2, 100), 1, null, null, false)); // too soon: skipped
        clock.addAndGet(200_000_000L);
        bar.accept(new ProgressUpdate(1, JobProgress.steps(3, 100), 1, null, null, false));
        bar.accept(new ProgressUpdate(1, JobProgress.steps(4, 100).withLoss(0.1), 1, null, null, true));

        String output = text.toString();
        assertThat(output).contains("\rstep 1/100").doesNotContain("step 2/100").contains("\rstep 3/100");
        assertThat(output).endsWith("loss 0.1000  1s" + System.lineSeparator());
    }
}
