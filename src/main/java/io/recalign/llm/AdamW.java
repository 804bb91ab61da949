package io.recalign.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW computes it, with
 * decay applied to matrices only and gradients clipped to a global norm first. Each step consumes
 * the gradients the last backward pass left and zeroes them.
 */
public final class AdamW implements AutoCloseable {

    /**
     * @param maxGradientNorm clip the global gradient norm to this (0 = no clipping)
     */
    public record Settings(double beta1, double beta2, double epsilon, double weightDecay, double maxGradientNorm) {
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must lie in [0, 1), got " + beta1 + " and " + beta2);
            }
            if (!(epsilon > 0) || weightDecay < 0 || maxGradientNorm < 0) {
                throw new IllegalArgumentException("epsilon must be positive, weight decay and gradient norm non-negative");
            }
        }

        /** betas (0.9, 0.95), epsilon 1e-8, weight decay 0.1, gradients clipped to norm 1. */
        public static Settings defaults() {
            return new Settings(0.9, 0.95, 1e-8, 0.1, 1.0);
        }
    }

    /** What one step did: its number, the learning rate it used and the gradient norm before clipping. */
    public record Step(long number, double learningRate, double gradientNorm) {

        /** Whether the gradient was not finite, so that nothing was updated. */
        public boolean skipped() {
            return !Double.isFinite(gradientNorm);
        }
    }

    private static final String STATE_FILE = "optimizer.safetensors";
    private static final String STEP_FILE = "optimizer.json";

    private final Map<String, NDArray> parameters;
    private final Set<String> decayed;
    private final Settings settings;
    private final LearningRateSchedule schedule;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long steps;

    public AdamW(LlamaModel model, Settings settings, LearningRateSchedule schedule) {
        this(model.parameters(), model.decayedParameters(), model.parentManager(), settings, schedule);
    }

    /**
     * An optimizer over any named arrays (a model's parameters joined with an extra head's), its state
     * kept in a sub-manager of {@code parent}.
     *
     * @param decayed the names that take weight decay
     */
    public AdamW(Map<String, NDArray> parameters, Set<String> decayed, NDManager parent, Settings settings,
                 LearningRateSchedule schedule) {
        this.parameters = new LinkedHashMap<>(parameters);
        this.decayed = Set.copyOf(decayed);
        this.settings = settings;
        this.schedule = schedule;
        this.manager = parent.newSubManager();
        parameters.forEach((name, parameter) -> {
            firstMoments.put(name, manager.zeros(parameter.getShape()));
            secondMoments.put(name, manager.zeros(parameter.getShape()));
        });
    }

    public long steps() {
        return steps;
    }

    /**
     * Updates every parameter from its gradient, then zeroes the gradients. A step whose gradient is not
     * finite only zeroes them, and reports itself {@link Step#skipped() skipped}.
     */
    public Step step() {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> gradients = new LinkedHashMap<>();
            NDArray squares = scope.zeros(new ai.djl.ndarray.types.Shape());
            for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                NDArray gradient = entry.getValue().getGradient();
                gradient.attach(scope);
                gradients.put(entry.getKey(), gradient);
                squares = squares.add(gradient.square().sum());
            }
            double norm = Math.sqrt(squares.getFloat());
            if (!Double.isFinite(norm)) {
                // one non-finite gradient would turn every moment, and through them every weight, into NaN
                parameters.values().forEach(parameter -> JniUtils.zeroGrad((PtNDArray) parameter));
                return new Step(steps, schedule.learningRate(steps + 1), norm);
            }
            double clip = settings.maxGradientNorm() > 0 && norm > settings.maxGradientNorm()
                    ? settings.maxGradientNorm() / (norm + 1e-6) : 1;
            steps++;
            double rate = schedule.learningRate(steps);
            double firstCorrection = 1 - Math.pow(settings.beta1(), steps);
            double secondCorrection = Math.sqrt(1 - Math.pow(settings.beta2(), steps));
            for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                String name = entry.getKey();
                NDArray parameter = entry.getValue();
                NDArray gradient = clip < 1 ? gradients.get(name).mul(clip) : gradients.get(name);
                NDArray first = firstMoments.get(name);
                NDArray second = secondMoments.get(name);
                first.muli(settings.beta1()).addi(gradient.mul(1 - settings.beta1()));
                second.muli(settings.beta2()).addi(gradient.square().muli(1 - settings.beta2()));
                if (decayed.contains(name) && settings.weightDecay() > 0) {
                    parameter.muli(1 - rate * settings.weightDecay());
                }
                // results of ops on the moments belong to the moments' manager: hand them to the step's scope
                NDArray denominator = second.sqrt();
                denominator.attach(scope);
                denominator.divi(secondCorrection).addi(settings.epsilon());
                NDArray update = first.div(denominator);
                update.attach(scope);
                parameter.subi(update.muli(rate / firstCorrection));
                JniUtils.zeroGrad((PtNDArray) parameter);
            }
            return new Step(steps, rate, norm);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** Writes the moments and step count beside an exported model, for resuming. */
    public void save(Path directory) {
        Map<String, Safetensors.Tensor> state = new LinkedHashMap<>();
        firstMoments.forEach((name, array) -> state.put("exp_avg." + name, tensor(array)));
        secondMoments.forEach((name, array) -> state.put("exp_avg_sq." + name, tensor(array)));
        Safetensors.write(directory.resolve(STATE_FILE), state);
        ObjectNode json = Safetensors.JSON.createObjectNode().put("step", steps);
        try {
            Files.writeString(directory.resolve(STEP_FILE), Safetensors.JSON.writeValueAsString(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write optimizer state to " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Restores what {@link #save} wrote; the optimizer must belong to a model of the same shape. */
    public void restore(Path directory) {
        Map<String, Safetensors.Tensor> state = Safetensors.read(directory.resolve(STATE_FILE));
        JsonNode json = Safetensors.readJson(directory.resolve(STEP_FILE));
        for (String name : parameters.keySet()) {
            copyInto(firstMoments.get(name), state.get("exp_avg." + name), name);
            copyInto(secondMoments.get(name), state.get("exp_avg_sq." + name), name);
        }
        steps = json.path("step").asLong();
    }

    @Override
    public void close() {
        manager.close();
    }

    private static Safetensors.Tensor tensor(NDArray array) {
        return new Safetensors.Tensor(array.getShape().getShape(), array.toFloatArray());
    }

    private static void copyInto(NDArray target, Safetensors.Tensor source, String name) {
        if (source == null || !java.util.Arrays.equals(source.shape(), target.getShape().getShape())) {
            throw new IllegalArgumentException("optimizer state for " + name + " is missing or has another shape");
        }
        target.set(java.nio.FloatBuffer.wrap(source.values()));
    }
}
