package io.recalign.system;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Lets the oneMKL inside libtorch use its AVX-512 matrix kernels on processors not made by Intel.
 * MKL picks its kernels after asking {@code mkl_serv_intel_cpu_true()} whether the processor is
 * Intel's, and on any other vendor's processor runs AVX2 code even where AVX-512 is present. libtorch
 * calls that function through its dynamic symbol table, so a library that defines it to answer yes
 * and is opened into the process's global scope (the build compiles it from {@code src/main/c}) takes
 * its place; MKL then chooses by the instruction sets the processor reports, as it does on Intel's.
 * On a 2-core AMD EPYC with AVX-512 this made float32 matrix products about twice as fast, teacher
 * training 1.4 to 1.9 times and language-model prefill 1.5 times.
 *
 * <p>Applied once, at start-up, before the engine loads libtorch. It applies on Linux x86-64 to
 * processors that report AVX-512 and are not Intel's; {@code RECALIGN_MKL_VENDOR_CHECK=keep} leaves
 * MKL's own choice.
 */
public final class MklVendorCheck {

    static final String LIBRARY = "/native/linux-x86-64/libmkl_vendor_check.so";
    static final String SYMBOL = "mkl_serv_intel_cpu_true";

    // dlopen flags of glibc's dlfcn.h: bind now, and make the symbols visible to libraries loaded later
    private static final int RTLD_NOW = 0x2;
    private static final int RTLD_GLOBAL = 0x100;

    private MklVendorCheck() {
    }

    /** Opens the library where it applies and the environment does not opt out; returns whether it did. */
    public static boolean apply() {
        return wanted(System.getenv())
                && Platform.isLinux() && Platform.isIntel() && Platform.is64Bit()
                && cpuInfo().map(MklVendorCheck::appliesTo).orElse(false)
                && open();
    }

    static boolean wanted(Map<String, String> environment) {
        return !"keep".equalsIgnoreCase(environment.getOrDefault("RECALIGN_MKL_VENDOR_CHECK", ""));
    }

    /** Whether the first processor of a {@code /proc/cpuinfo} text is another vendor's and has AVX-512. */
    static boolean appliesTo(String cpuInfo) {
        String vendor = field(cpuInfo, "vendor_id");
        String flags = field(cpuInfo, "flags");
        return !vendor.isEmpty() && !vendor.equals("GenuineIntel") && Arrays.asList(flags.split(" ")).contains("avx512f");
    }

    private static String field(String cpuInfo, String name) {
        return cpuInfo.lines()
                .map(line -> line.split(":", 2))
                .filter(parts -> parts.length == 2 && parts[0].strip().equals(name))
                .findFirst()
                .map(parts -> parts[1].strip())
                .orElse("");
    }

    private static Optional<String> cpuInfo() {
        try {
            return Optional.of(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Extracts the library where JNA keeps its own and opens it into the global scope. */
    static boolean open() {
        try {
            File library = Native.extractFromResourcePath(LIBRARY, MklVendorCheck.class.getClassLoader());
            Function dlopen = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("dlopen");
            return dlopen.invoke(Pointer.class, new Object[] {library.getAbsolutePath(), RTLD_NOW | RTLD_GLOBAL}) != null;
        } catch (IOException | UnsatisfiedLinkError e) {
            return false;
        }
    }
}
