package io.recalign.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A resumable test job type: counts steps and saves the last finished step in its checkpoint
 * directory every third step and when the service shuts down; a resumed run continues after the
 * saved step and says so in its result.
 */
@Component
public class ResumableJobHandler implements JobHandler {

    static final String TYPE = "test-resume";
    static final String CHECKPOINT = "step.txt";

    static final int CHECKPOINT_EVERY = 3;

    record Params(Integer steps, Integer sleepMillis) {
        Params {
            steps = steps == null ? 5 : steps;
            sleepMillis = sleepMillis == null ? 5 : sleepMillis;
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Object validate(JobRequest request) {
        return request.params(Params.class);
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public void run(JobContext context) throws IOException, InterruptedException {
        Params params = context.params(Params.class);
        Path checkpoint = context.checkpointDirectory().resolve(CHECKPOINT);
        int resumedFrom = context.resuming() && Files.exists(checkpoint)
                ? Integer.parseInt(Files.readString(checkpoint).strip()) : 0;
        int done = resumedFrom;
        while (done < params.steps()) {
            if (context.isShuttingDown()) {
                Files.writeString(checkpoint, Integer.toString(done));
            }
            context.checkCancelled();
            Thread.sleep(params.sleepMillis());
            done++;
            if (done % CHECKPOINT_EVERY == 0) {
                Files.writeString(checkpoint, Integer.toString(done));
            }
            context.log(JobProgress.steps(done, params.steps()).withLoss(1.0 / done));
        }
        context.result(Map.of("resuming", context.resuming(), "resumedFrom", resumedFrom));
    }
}
