package io.recalign.system;

import java.util.concurrent.CancellationException;

/** Thrown by {@link JobContext#checkCancelled()}: the job was cancelled or the service is stopping. */
public class JobStoppedException extends CancellationException {

    private final boolean shutdown;

    JobStoppedException(long jobId, boolean shutdown) {
        super(shutdown ? "job " + jobId + " stopped: the service is shutting down" : "job " + jobId + " was cancelled");
        this.shutdown = shutdown;
    }

    /** True when the service is stopping, false when someone cancelled the job. */
    public boolean forShutdown() {
        return shutdown;
    }
}
