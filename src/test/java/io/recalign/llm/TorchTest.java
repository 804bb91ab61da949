package io.recalign.llm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that run models: a manager for the class, and one PyTorch intra-op thread while
 * it runs (restored after). The test models are tiny, and on a busy 2-core machine OpenMP threads
 * waiting for each other at every op cost far more than they parallelise.
 */
abstract class TorchTest {

    static NDManager manager;
    private static int threads;

    @BeforeAll
    static void openManager() {
        Engine.getEngine("PyTorch");
        threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
        JniUtils.setNumThreads(threads);
    }
}
