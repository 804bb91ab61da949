package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.NativeLibrary;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class MklVendorCheckTest {

    private static final String AMD_AVX512 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC
            flags\t\t: fpu vme avx2 fma avx512f avx512dq avx512bw avx512_bf16
            """;

    @Test
    void appliesToOtherVendorsProcessorsWithAvx512Only() {
        assertThat(MklVendorCheck.appliesTo(AMD_AVX512)).isTrue();
        assertThat(MklVendorCheck.appliesTo(AMD_AVX512.replace("AuthenticAMD", "GenuineIntel"))).isFalse();
        assertThat(MklVendorCheck.appliesTo(AMD_AVX512.replace(" avx512f avx512dq avx512bw avx512_bf16", ""))).isFalse();
        assertThat(MklVendorCheck.appliesTo(AMD_AVX512.replace("avx512f ", "avx512fx "))).isFalse();
        assertThat(MklVendorCheck.appliesTo("processor\t: 0\nflags\t: avx512f\n")).isFalse();
    }

    @Test
    void keepLeavesMklsOwnChoice() {
        assertThat(MklVendorCheck.wanted(Map.of())).isTrue();
        assertThat(MklVendorCheck.wanted(Map.of("RECALIGN_MKL_VENDOR_CHECK", "KEEP"))).isFalse();
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void theBuiltLibraryAnswersInTheGlobalScope() {
        assertThat(MklVendorCheck.open()).isTrue();
        // the process's global scope, where libtorch's call looks first
        assertThat(NativeLibrary.getProcess().getFunction(MklVendorCheck.SYMBOL).invokeInt(new Object[0])).isEqualTo(1);
    }
}
