package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.recalign.IntegrationTest;
import io.recalign.catalog.CatalogService;
import io.recalign.catalog.SyntheticSpec;
import io.recalign.llm.Checkpoints;
import io.recalign.llm.LlamaConfig;
import io.recalign.llm.LlamaModel;
import io.recalign.llm.TokenizerBuilder;
import io.recalign.system.BadRequestException;
import io.recalign.system.ConflictException;
import io.recalign.system.NotFoundException;
import io.recalign.system.RecalignProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The model store and registry: atomic files, digests, activation, the admin API. */
@IntegrationTest
class ModelRegistryTest {

    private static final String BEARER = "Bearer " + IntegrationTest.ADMIN_TOKEN;
    /** A tiny model over the tokenizer below (ids 0-3 specials, 4 the line break). */
    private static final LlamaConfig TINY = new LlamaConfig("llama", 32, 16, 32, 1, 2, 1, 8, 64, 1e-5, false,
            false, false, false, LlamaConfig.Rope.standard(10_000), 1, List.of(2), 0, LlamaConfig.FLOAT32);

    private static NDManager manager;
    private static boolean datasetsCreated;

    @Autowired
    ModelRegistry registry;

    @Autowired
    CatalogService catalog;

    @Autowired
    RecalignProperties properties;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    RestTestClient http;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void aFinishedModelIsStoredWholeWithItsDigestAndLoadsAsSaved() {
        Path checkpoint = checkpoint("stored", 1);
        RegisteredModel training = registry.register(newModel("registry-a"));
        assertThat(training.status()).isEqualTo(ModelStatus.TRAINING);
        assertThat(training.path()).isNull();

        RegisteredModel ready = registry.finish(training.id(), checkpoint, Map.of("valid_recall@10", 0.25));

        assertThat(ready.status()).isEqualTo(ModelStatus.READY);
        assertThat(ready.path()).isEqualTo("models/" + ready.id());
        assertThat(ready.sha256()).hasSize(64).isEqualTo(ModelStore.digest(checkpoint));
        assertThat(ready.metrics()).containsEntry("valid_recall@10", 0.25);
        assertThat(ready.config()).containsEntry("purpose", "test");
        assertThat(AlignmentFixture.storeEntries(properties.home())).contains(Long.toString(ready.id())).noneMatch(name -> name.endsWith(".partial"));
        try (LlamaModel original = Checkpoints.load(checkpoint, manager);
             LoadedModel loaded = registry.load(ready.id())) {
            assertThat(loaded.info().id()).isEqualTo(ready.id());
            int[] tokens = {1, 7, 9, 4, 12};
            assertThat(loaded.model().logits(tokens)).isDeepEqualTo(original.logits(tokens));
            assertThat(loaded.tokenizer().encode("\n")).containsExactly(4);
        }
    }

    @Test
    void aChangedAddedOrMissingFileFailsTheIntegrityCheck() throws IOException {
        RegisteredModel ready = registry.finish(registry.register(newModel("registry-a")).id(), checkpoint("tamper", 2), Map.of());
        Path directory = registry.directory(ready);
        Path weights = directory.resolve(Checkpoints.WEIGHTS);
        byte[] original = Files.readAllBytes(weights);
        byte[] changed = original.clone();
        changed[changed.length - 1] ^= 1;
        Files.write(weights, changed);

        assertThatThrownBy(() -> registry.load(ready.id()))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("model " + ready.id() + " failed its integrity check");

        Files.write(weights, original);
        registry.load(ready.id()).close();
        Files.writeString(directory.resolve("extra.txt"), "not part of the model");
        assertThatThrownBy(() -> registry.load(ready.id())).isInstanceOf(CorruptModelException.class);
        Files.delete(directory.resolve("extra.txt"));
        Files.delete(directory.resolve(Checkpoints.GENERATION_CONFIG));
        assertThatThrownBy(() -> registry.load(ready.id())).isInstanceOf(CorruptModelException.class);
    }

    @Test
    void aJobStartsOnlyFromAReadyModelOfItsOwnDataset() {
        RegisteredModel training = registry.register(newModel("registry-a"));
        assertThatThrownBy(() -> registry.requireReady(training.id(), "registry-a", "fromModel"))
                .isInstanceOf(BadRequestException.class)
                .hasMessage("fromModel " + training.id() + " is TRAINING, not READY");
        RegisteredModel ready = registry.finish(training.id(), checkpoint("required", 4), Map.of());

        assertThat(registry.requireReady(ready.id(), "registry-a", "fromModel").id()).isEqualTo(ready.id());
        assertThatThrownBy(() -> registry.requireReady(ready.id(), "registry-b", "fromModel"))
                .isInstanceOf(BadRequestException.class)
                .hasMessage("fromModel " + ready.id() + " was trained for dataset 'registry-a', not for 'registry-b'");
        assertThatThrownBy(() -> registry.requireReady(Long.MAX_VALUE, "registry-a", "fromModel"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void anAbandonedOrFailedModelKeepsNoFilesAndNeverBecomesReady() {
        RegisteredModel failed = registry.register(newModel("registry-a"));
        assertThatThrownBy(() -> registry.finish(failed.id(), temp.resolve("no-such-checkpoint"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(registry.get(failed.id()).status()).isEqualTo(ModelStatus.TRAINING);

        registry.abandon(failed.id(), ModelStatus.FAILED);
        RegisteredModel cancelled = registry.register(newModel("registry-a"));
        registry.abandon(cancelled.id(), ModelStatus.CANCELLED);

        assertThat(registry.get(failed.id()).status()).isEqualTo(ModelStatus.FAILED);
        assertThat(registry.get(cancelled.id()).status()).isEqualTo(ModelStatus.CANCELLED);
        assertThat(AlignmentFixture.storeEntries(properties.home())).noneMatch(name -> name.contains(Long.toString(failed.id()))
                || name.contains(Long.toString(cancelled.id())));
        assertThatThrownBy(() -> registry.finish(cancelled.id(), checkpoint("late", 3), Map.of()))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> registry.load(failed.id())).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> registry.activate(cancelled.id())).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> registry.get(Long.MAX_VALUE)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void activationKeepsOneActiveModelPerDatasetAndNotifiesListeners() throws Exception {
        RegisteredModel first = ready("registry-b", 4);
        RegisteredModel second = ready("registry-b", 5);
        RegisteredModel other = ready("registry-c", 6);
        registry.activate(other.id());

        try (Connection listener = dataSource.getConnection()) {
            try (Statement statement = listener.createStatement()) {
                statement.execute("LISTEN " + ModelRegistry.CHANNEL);
            }
            registry.activate(first.id());
            assertThat(registry.active("registry-b")).map(RegisteredModel::id).contains(first.id());
            registry.activate(second.id());

            PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(5000);
            assertThat(notifications).extracting(PGNotification::getParameter).containsExactly("registry-b", "registry-b");
        }
        assertThat(registry.active("registry-b")).map(RegisteredModel::id).contains(second.id());
        assertThat(registry.get(first.id()).active()).isFalse();
        assertThat(registry.active("registry-c")).map(RegisteredModel::id).contains(other.id());
        assertThatThrownBy(() -> jdbc.sql("update models set active = true where id = ?").param(first.id()).update())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(registry.list(Optional.of("registry-b"))).extracting(RegisteredModel::id)
                .containsSubsequence(second.id(), first.id());
    }

    @Test
    void aBaseDirectoryIsRegisteredOnce() {
        Path checkpoint = checkpoint("base", 7);

        RegisteredModel base = registry.registerBase(checkpoint, Map.of("source", "test"));

        assertThat(base.kind()).isEqualTo(ModelKind.BASE);
        assertThat(base.dataset()).isNull();
        assertThat(base.status()).isEqualTo(ModelStatus.READY);
        assertThat(registry.registerBase(checkpoint, Map.of()).id()).isEqualTo(base.id());
        assertThatThrownBy(() -> registry.activate(base.id())).isInstanceOf(ConflictException.class);
    }

    @Test
    void adminApiListsAndShowsModels() {
        RegisteredModel model = ready("registry-d", 8);

        http.get().uri("/admin/models?dataset=registry-d").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].id").isEqualTo(model.id())
                .jsonPath("$[0].kind").isEqualTo("SFT")
                .jsonPath("$[0].status").isEqualTo("READY")
                .jsonPath("$[0].sha256").isEqualTo(model.sha256());
        http.get().uri("/admin/models/{id}", model.id()).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.path").isEqualTo("models/" + model.id())
                .jsonPath("$.config.purpose").isEqualTo("test");
        http.get().uri("/admin/models/{id}", Long.MAX_VALUE).header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("no model " + Long.MAX_VALUE);
        http.get().uri("/admin/models").exchange().expectStatus().isUnauthorized();
    }

    private RegisteredModel ready(String dataset, long seed) {
        return registry.finish(registry.register(newModel(dataset)).id(), checkpoint(dataset + "-" + seed, seed), Map.of());
    }

    private ModelRegistry.NewModel newModel(String dataset) {
        createDatasets();
        return new ModelRegistry.NewModel(ModelKind.SFT, null, dataset, null, Map.of("purpose", "test"), null);
    }

    private synchronized void createDatasets() {
        if (!datasetsCreated) {
            for (String name : List.of("registry-a", "registry-b", "registry-c", "registry-d")) {
                catalog.generateSynthetic(name, new SyntheticSpec(20, 20, 10, 1));
            }
            datasetsCreated = true;
        }
    }

    /** A tiny Hugging Face directory with a word-level tokenizer. */
    private Path checkpoint(String name, long seed) {
        Path directory = temp.resolve(name);
        Path tokenizer = temp.resolve(name + "-tokenizer.json");
        new TokenizerBuilder().corpus(List.of("recommend items")).titles(List.of("Heat (1995)")).build().write(tokenizer);
        try (LlamaModel model = LlamaModel.create(TINY, manager, seed)) {
            Checkpoints.export(model, tokenizer, directory);
        }
        return directory;
    }
}
