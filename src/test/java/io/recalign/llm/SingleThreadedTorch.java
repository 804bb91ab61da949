package io.recalign.llm;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class with one PyTorch intra-op thread, then restores the previous count. The test
 * models are tiny, and on a busy 2-core machine OpenMP threads waiting for each other at every op
 * cost far more than they parallelise.
 */
final class SingleThreadedTorch implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SingleThreadedTorch.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Engine.getEngine("PyTorch");
        context.getStore(NAMESPACE).put("threads", JniUtils.getNumThreads());
        JniUtils.setNumThreads(1);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        JniUtils.setNumThreads(context.getStore(NAMESPACE).get("threads", Integer.class));
    }
}
