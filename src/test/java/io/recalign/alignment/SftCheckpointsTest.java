package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftCheckpointsTest {

    @TempDir
    Path root;

    @Test
    void aResumePointSavedBeforeRepeatsWereMeasuredStillReads() throws IOException {
        Path point = Files.createDirectories(root.resolve("last"));
        Files.writeString(point.resolve(SftCheckpoints.STATE), """
                {"step":40,"batches":40,"seed":42,"recentLosses":[1.5,1.4],"tokens":9000,"seconds":12.5,
                 "best":{"step":20,"validLoss":1.6,"recallAt10":0.05,"nonExistRate":0.1,"extra":{}}}
                """);

        SftCheckpoints.TrainerState state = new SftCheckpoints(root, root.resolve("tokenizer.json")).readState(point);

        assertThat(state.step()).isEqualTo(40);
        assertThat(state.best().repeatRate()).isNull();
        assertThat(state.best().metrics()).containsOnlyKeys("valid_loss", "valid_recall@10", "valid_nonexist_rate");
    }
}
