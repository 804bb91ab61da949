package io.recalign.teacher;

/** A trained model and how it got there; closing it frees the model's native memory. */
public record TrainedTeacher(SasRecModel model, TrainingReport report) implements AutoCloseable {

    @Override
    public void close() {
        model.close();
    }
}
