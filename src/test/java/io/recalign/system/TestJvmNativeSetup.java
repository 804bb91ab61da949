package io.recalign.system;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * What {@code RecalignApplication.main} does before the engine loads, done for the test JVM, which
 * starts without it: the tests then run on the same matrix kernels as the service. The malloc
 * parameters come from the build's {@code MALLOC_*} variables instead.
 */
public class TestJvmNativeSetup implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        MklVendorCheck.apply();
    }
}
