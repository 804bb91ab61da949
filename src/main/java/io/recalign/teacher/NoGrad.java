package io.recalign.teacher;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/** Runs inference with gradient recording off on the calling thread, restoring the thread's previous mode after. */
final class NoGrad {

    private NoGrad() {
    }

    static <T> T call(Supplier<T> work) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }
}
