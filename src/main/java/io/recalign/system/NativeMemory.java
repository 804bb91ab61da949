package io.recalign.system;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Map;

/**
 * Keeps the memory libtorch frees inside the process. By default glibc's malloc maps every block above
 * 128 KB (a threshold that adapts up to 32 MB) afresh and unmaps it on free, and trims the top of its
 * heap, so each training step and each prefill faults its activation buffers (megabytes to tens of
 * megabytes) back in page by page; on virtual machines those faults cost more than the arithmetic (a
 * teacher epoch took twice as long). Serving every block from the heap and never trimming lets freed
 * blocks be reused: memory stays at the working set's peak instead of being returned between steps.
 *
 * <p>Applied once, at start-up, before the engine allocates. Threads the JVM started before that keep
 * heaps of their own, so the container image, {@code spring-boot:run} and the tests set the same
 * parameters as {@code MALLOC_*} variables, which glibc reads before any thread exists (a language-model training step runs twice as
 * fast with them as with this call alone). An operator who sets any {@code MALLOC_*} variable, or
 * {@code RECALIGN_MALLOC_TUNING=false}, keeps glibc's behaviour or their own; on other C libraries and
 * systems nothing changes.
 */
public final class NativeMemory {

    // mallopt parameters of glibc's malloc.h
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_MAX = -4;
    private static final int M_ARENA_MAX = -8;

    static final int TOP_PAD = 64 << 20;
    static final int TRIM_THRESHOLD = Integer.MAX_VALUE;

    private NativeMemory() {
    }

    /** Tunes glibc's malloc unless the environment opts out; returns whether it did. */
    public static boolean tune() {
        return wanted(System.getenv()) && apply();
    }

    /** Sets the parameters; false where the C library is not glibc or refuses one of them. */
    static boolean apply() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            NativeLibrary libc = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
            libc.getFunction("gnu_get_libc_version");  // glibc only: musl's mallopt ignores these parameters
            Function mallopt = libc.getFunction("mallopt");
            // no block is mapped on its own (glibc caps the mmap threshold at 32 MB, below a training step's
            // logits); a thread arena that cannot hold a block hands it to the main heap, which grows with brk
            return set(mallopt, M_MMAP_MAX, 0)
                    & set(mallopt, M_TRIM_THRESHOLD, TRIM_THRESHOLD)
                    & set(mallopt, M_TOP_PAD, TOP_PAD)
                    // threads started from now on share the existing heaps instead of opening arenas of
                    // their own, whose blocks would be given back and refaulted
                    & set(mallopt, M_ARENA_MAX, 1);
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    static boolean wanted(Map<String, String> environment) {
        return !"false".equalsIgnoreCase(environment.getOrDefault("RECALIGN_MALLOC_TUNING", "true"))
                && environment.keySet().stream().noneMatch(name -> name.startsWith("MALLOC_"));
    }

    private static boolean set(Function mallopt, int parameter, int value) {
        return mallopt.invokeInt(new Object[] {parameter, value}) == 1;
    }
}
