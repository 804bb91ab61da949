package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class EngineReportTest {

    private static final Map<String, String> GPU_IMAGE = Map.of(
            "PYTORCH_LIBRARY_PATH", "/opt/pytorch/torch/lib", "PYTORCH_FLAVOR", "cu128", "PYTORCH_VERSION", "2.7.1");

    @Test
    void describesTheBundledCpuEngine() {
        assertThat(EngineReport.describe("PyTorch", "2.7.1", "0.36.0", "cpu()", 0, Map.of()))
                .isEqualTo("ML engine PyTorch 2.7.1 (DJL 0.36.0, bundled CPU libtorch), default device cpu(), 0 GPUs");
    }

    @Test
    void describesAnOverriddenLibtorchAndItsGpu() {
        assertThat(EngineReport.describe("PyTorch", "2.7.1", "0.36.0", "gpu(0)", 1, GPU_IMAGE))
                .isEqualTo("ML engine PyTorch 2.7.1 (DJL 0.36.0, libtorch cu128 from /opt/pytorch/torch/lib),"
                        + " default device gpu(0), 1 GPU");
    }

    @Test
    void aCudaLibtorchWithoutGpuIsFlagged() {
        assertThat(EngineReport.gpuMissing(0, GPU_IMAGE)).isTrue();
        assertThat(EngineReport.gpuMissing(2, GPU_IMAGE)).isFalse();
        assertThat(EngineReport.gpuMissing(0, Map.of())).isFalse();
        assertThat(EngineReport.gpuMissing(0, Map.of("PYTORCH_FLAVOR", "cpu"))).isFalse();
    }

    @Test
    void logsTheEngineThisBuildLoads(CapturedOutput output) {
        new EngineReport().report();
        // the pom's PyTorch version, on the CPU of a build machine
        assertThat(output.getAll()).contains("ML engine PyTorch 2.7.1 (DJL 0.36.0").contains("default device cpu()");
    }
}
