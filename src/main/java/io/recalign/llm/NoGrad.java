package io.recalign.llm;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/** Runs inference with gradient recording off on the calling thread, restoring the thread's previous mode after. */
public final class NoGrad {

    private NoGrad() {
    }

    public static <T> T call(Supplier<T> work) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    public static void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }
}
