package io.recalign.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recalign.IntegrationTest;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.catalog.SyntheticSpec;
import io.recalign.system.NotFoundException;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** Teachers stored in PostgreSQL: round trip, one active per dataset, all-or-nothing training. */
@IntegrationTest
class TeacherServiceTest {

    /** Tiny, so a training takes a second or two. */
    static final SasRecConfig CONFIG = new SasRecConfig(8, 32, 1, 2, 64, 0.2);
    static final TrainingOptions OPTIONS = new TrainingOptions(2, 2, 64, 5e-3, 3, TrainingExamples.ALL_WINDOWS);

    @Autowired
    TeacherService teachers;

    @Autowired
    StoredTeacherRepository repository;

    @Autowired
    CatalogService catalog;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void aStoredTeacherReloadsWithIdenticalAnswers() {
        CatalogSnapshot snapshot = synthetic("teacher-round-trip");
        TeacherRecord record = teachers.train(snapshot.dataset(), CONFIG, OPTIONS, TrainingProgress.NONE, () -> false, null);

        assertThat(record.status()).isEqualTo(TeacherStatus.READY);
        assertThat(record.active()).isTrue();
        assertThat(record.config()).isEqualTo(new TeacherConfig(CONFIG, OPTIONS));
        assertThat(record.metrics().epochsRun()).isEqualTo(2);
        assertThat(record.metrics().test().users()).isEqualTo(snapshot.users().size());
        assertThat(teachers.get(record.id())).isEqualTo(record);

        List<TopKQuery> queries = snapshot.users().stream()
                .map(user -> TopKQuery.of(user.testHistory(), 10)).toList();
        List<Teacher.RankQuery> ranks = snapshot.users().stream()
                .map(user -> new Teacher.RankQuery(user.validationHistory(), new int[] {user.validationTarget(), 0, 5}))
                .toList();
        Teacher trained = teachers.require(snapshot.dataset());
        List<int[]> trainedTopK = trained.topK(queries);
        List<int[]> trainedRanks = trained.rank(ranks);

        // a second service has an empty cache: it loads the teacher from the database
        TeacherService restarted = new TeacherService(repository, catalog, jdbc, transactionManager);
        try {
            Teacher reloaded = restarted.require(snapshot.dataset());
            assertThat(reloaded).isNotSameAs(trained);
            assertThat(reloaded.dataset()).isEqualTo(snapshot.dataset());
            assertThat(reloaded.topK(queries)).containsExactlyElementsOf(trainedTopK);
            assertThat(reloaded.rank(ranks)).containsExactlyElementsOf(trainedRanks);
            assertThat(restarted.require(snapshot.dataset())).as("cached after the first load").isSameAs(reloaded);
            TeacherEvaluation evaluation = restarted.evaluate(snapshot.dataset(), null);
            assertThat(evaluation.teacherId()).isEqualTo(record.id());
            assertThat(evaluation.test()).isEqualTo(record.metrics().test());
            assertThat(evaluation.valid()).isEqualTo(record.metrics().valid());
        } finally {
            restarted.close();
        }
    }

    @Test
    void aNewTeacherRetiresThePreviousOneAndOnlyOneIsActive() {
        CatalogSnapshot snapshot = synthetic("teacher-one-active");
        TeacherRecord first = teachers.train(snapshot.dataset(), CONFIG, OPTIONS.withEpochs(1), TrainingProgress.NONE,
                () -> false, null);
        Teacher firstTeacher = teachers.require(snapshot.dataset());
        TeacherRecord second = teachers.train(snapshot.dataset(), CONFIG, OPTIONS.withEpochs(1).withSeed(4),
                TrainingProgress.NONE, () -> false, null);

        assertThat(teachers.get(first.id()).status()).isEqualTo(TeacherStatus.RETIRED);
        assertThat(teachers.get(first.id()).active()).isFalse();
        assertThat(teachers.activeRecord(snapshot.dataset()).id()).isEqualTo(second.id());
        assertThat(teachers.list(snapshot.dataset(), 10)).extracting(TeacherRecord::id)
                .containsExactly(second.id(), first.id());
        assertThat(teachers.require(snapshot.dataset())).isNotSameAs(firstTeacher);
        assertThat(teachers.evaluate(snapshot.dataset(), first.id()).test()).isEqualTo(first.metrics().test());

        assertThatThrownBy(() -> jdbc.sql("""
                        insert into teachers (dataset_id, dataset, status, config, metrics, weights, active)
                        select dataset_id, dataset, 'READY', config, metrics, weights, true from teachers where id = ?""")
                .param(first.id()).update())
                .as("the database allows one active teacher per dataset")
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void aCancelledOrFailedTrainingStoresNothing() {
        CatalogSnapshot snapshot = synthetic("teacher-cancelled");
        assertThatThrownBy(() -> teachers.train(snapshot.dataset(), CONFIG, OPTIONS, TrainingProgress.NONE, () -> true, null))
                .isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> teachers.train(snapshot.dataset(), CONFIG, OPTIONS, report -> {
            throw new IllegalStateException("listener failed");
        }, () -> false, null)).hasMessage("listener failed");

        assertThat(teachers.list(snapshot.dataset(), 10)).isEmpty();
        assertThat(teachers.active(snapshot.dataset())).isEmpty();
        assertThatThrownBy(() -> teachers.require(snapshot.dataset()))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("dataset 'teacher-cancelled' has no trained teacher; run `teacher train --dataset teacher-cancelled`");
        assertThatThrownBy(() -> teachers.require("teacher-no-such-dataset"))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("no dataset named 'teacher-no-such-dataset'");
        assertThatThrownBy(() -> teachers.get(Long.MAX_VALUE)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void evaluatingAnotherDatasetsTeacherIsRefused() {
        CatalogSnapshot snapshot = synthetic("teacher-eval-owner");
        synthetic("teacher-eval-other");
        TeacherRecord record = teachers.train(snapshot.dataset(), CONFIG, OPTIONS.withEpochs(1),
                TrainingProgress.NONE, () -> false, null);
        assertThatThrownBy(() -> teachers.evaluate("teacher-eval-other", record.id()))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("teacher " + record.id() + " belongs to dataset 'teacher-eval-owner', not 'teacher-eval-other'");
    }

    /** A small generated catalog stored under this name. */
    CatalogSnapshot synthetic(String name) {
        catalog.generateSynthetic(name, new SyntheticSpec(60, 80, 12, name.hashCode()));
        CatalogSnapshot snapshot = catalog.snapshot(name);
        assertThat(snapshot.users()).isNotEmpty();
        return snapshot;
    }
}
