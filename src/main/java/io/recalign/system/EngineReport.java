package io.recalign.system;

import ai.djl.engine.Engine;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs once, when the service is ready, which ML engine it runs and on which device: the line an
 * operator looks for to tell whether the GPU image really uses its GPU. A CUDA libtorch
 * ({@code PYTORCH_FLAVOR=cu...}) that sees no GPU is a warning, since the service then runs on the CPU.
 */
@Component
@ConditionalOnProperty(name = "recalign.mode", havingValue = "server", matchIfMissing = true)
class EngineReport {

    private static final Logger log = LoggerFactory.getLogger(EngineReport.class);

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        Engine engine = Engine.getInstance();
        String line = describe(engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(),
                engine.defaultDevice().toString(), engine.getGpuCount(), System.getenv());
        if (gpuMissing(engine.getGpuCount(), System.getenv())) {
            log.warn("{}; the CUDA libtorch sees no GPU, so models run on the CPU", line);
        } else {
            log.info(line);
        }
    }

    static String describe(String engine, String version, String djlVersion, String device, int gpus,
            Map<String, String> environment) {
        String libtorch = environment.containsKey("PYTORCH_LIBRARY_PATH")
                ? "libtorch " + environment.getOrDefault("PYTORCH_FLAVOR", "of unknown flavor") + " from "
                        + environment.get("PYTORCH_LIBRARY_PATH")
                : "bundled CPU libtorch";
        return "ML engine %s %s (DJL %s, %s), default device %s, %d GPU%s"
                .formatted(engine, version, djlVersion, libtorch, device, gpus, gpus == 1 ? "" : "s");
    }

    static boolean gpuMissing(int gpus, Map<String, String> environment) {
        return gpus == 0 && environment.getOrDefault("PYTORCH_FLAVOR", "").startsWith("cu");
    }
}
