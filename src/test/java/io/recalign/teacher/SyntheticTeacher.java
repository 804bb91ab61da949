package io.recalign.teacher;

import io.recalign.catalog.CatalogSnapshot;

/** One small teacher trained once per test JVM on a synthetic catalog, shared by the tests that only read it. */
final class SyntheticTeacher {

    static final SasRecConfig CONFIG = new SasRecConfig(8, 32, 1, 2, 64, 0.1);
    static final TrainingOptions OPTIONS = new TrainingOptions(15, 5, 64, 5e-3, 7, TrainingExamples.ALL_WINDOWS);

    private static CatalogSnapshot snapshot;
    private static TrainedTeacher trained;
    private static SasRecTeacher teacher;

    private SyntheticTeacher() {
    }

    static synchronized CatalogSnapshot snapshot() {
        if (snapshot == null) {
            snapshot = SyntheticCatalog.generate(120, 6, 300, 20, 11);
        }
        return snapshot;
    }

    static synchronized TrainedTeacher trained() {
        if (trained == null) {
            trained = new TeacherTrainer().train(snapshot(), CONFIG, OPTIONS, TrainingProgress.NONE, () -> false);
        }
        return trained;
    }

    static synchronized SasRecTeacher teacher() {
        if (teacher == null) {
            teacher = SasRecTeacher.of(snapshot(), trained().model());
        }
        return teacher;
    }
}
