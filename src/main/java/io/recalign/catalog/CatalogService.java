package io.recalign.catalog;

import io.recalign.system.ConflictException;
import io.recalign.system.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The catalog's door for the rest of the service: imports (all-or-nothing, one transaction per
 * dataset), the synthetic generator, dataset listings, and the immutable snapshot every later stage
 * reads. Datasets never change once stored, so snapshots are cached for the life of the process.
 */
@Service
public class CatalogService {

    private static final Logger log = LoggerFactory.getLogger(CatalogService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String SYNTHETIC_FORMAT = "synthetic";
    /** k of the k-core filter when an import names none. */
    public static final int DEFAULT_MIN_COUNT = DataProtocol.DEFAULT_MIN_COUNT;

    private final DatasetRepository datasets;
    private final CatalogUserRepository users;
    private final CatalogItemRepository items;
    private final CatalogStore store;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Map<String, CatalogSnapshot> snapshots = new ConcurrentHashMap<>();

    CatalogService(DatasetRepository datasets, CatalogUserRepository users, CatalogItemRepository items,
            CatalogStore store, JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.datasets = datasets;
        this.users = users;
        this.items = items;
        this.store = store;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** Imports the files of a server-side folder. */
    public DatasetSummary importDataset(ImportRequest request) {
        DatasetFormat format = DatasetFormat.fromLabel(request.format());
        Path folder = folder(request.path());
        return importFolder(request.name(), format, folder, request.minCountOrDefault(),
                folder.toAbsolutePath().normalize().toString());
    }

    /** Imports the files in {@code folder}; {@code source} says where they came from (stored with the dataset). */
    public DatasetSummary importFolder(String name, DatasetFormat format, Path folder, int minCount, String source) {
        return run(name, format.label(), source, minCount, () -> read(format, folder), false).dataset();
    }

    /** Generates a catalog (deterministic by seed) and stores it through the same protocol as an import. */
    public DatasetSummary generateSynthetic(String name, SyntheticSpec spec) {
        return run(name, SYNTHETIC_FORMAT, spec.describe(), DEFAULT_MIN_COUNT,
                () -> SyntheticCatalog.generate(spec), false).dataset();
    }

    /**
     * Runs a full import of the folder, then loads its snapshot, inside a transaction that is rolled
     * back: the timings of a real import with nothing left behind.
     */
    ImportTimings benchmarkImport(String formatLabel, String path, int minCount) {
        DatasetFormat format = DatasetFormat.fromLabel(formatLabel);
        Path folder = folder(path);
        return run("bench-" + UUID.randomUUID(), format.label(), folder.toAbsolutePath().normalize().toString(),
                minCount, () -> read(format, folder), true);
    }

    /** Every dataset, oldest first. */
    public List<DatasetSummary> datasets() {
        return datasets.findAllByOrderByCreatedAtAscIdAsc().stream().map(Dataset::summary).toList();
    }

    public DatasetSummary dataset(String name) {
        return find(name).summary();
    }

    /** The dataset after the protocol, dense-indexed; loaded once, then served from memory. */
    public CatalogSnapshot snapshot(String name) {
        CatalogSnapshot cached = snapshots.get(name);
        if (cached != null) {
            return cached;
        }
        Dataset dataset = find(name);
        return snapshots.computeIfAbsent(name, n -> transaction.execute(
                status -> store.loadSnapshot(dataset.id(), dataset.name())));
    }

    /** A user's ordered sequence, by the user's external id. */
    public UserHistory history(String datasetName, String userId) {
        Dataset dataset = find(datasetName);
        CatalogUser user = users.findByDatasetIdAndExternalId(dataset.id(), userId)
                .orElseThrow(() -> new NotFoundException("no user '" + userId + "' in dataset " + datasetName));
        List<UserHistory.Entry> entries = jdbc.sql("""
                        select x.position, i.external_id, i.title, x.source_timestamp, x.rating, x.split
                        from interactions x join items i on i.dataset_id = x.dataset_id and i.idx = x.item_idx
                        where x.dataset_id = ? and x.user_idx = ? order by x.position""")
                .params(dataset.id(), user.idx())
                .query((rs, n) -> new UserHistory.Entry(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        (Float) rs.getObject(5, Float.class), rs.getString(6)))
                .list();
        return new UserHistory(datasetName, userId, entries);
    }

    /** One page of a dataset's items in index order, with category names. */
    public Page<ItemView> items(String datasetName, int page, int size) {
        Dataset dataset = find(datasetName);
        List<String> categories = snapshot(datasetName).categories();
        return items.findByDatasetIdOrderByIdx(dataset.id(), PageRequest.of(page, size)).map(item -> new ItemView(
                item.idx(), item.externalId(), item.title(),
                Arrays.stream(item.categories()).mapToObj(categories::get).toList()));
    }

    /** An item as listed by the admin API. */
    public record ItemView(int index, String id, String title, List<String> categories) {
    }

    private Dataset find(String name) {
        return datasets.findByName(name).orElseThrow(() -> new NotFoundException("no dataset named '" + name + "'"));
    }

    @FunctionalInterface
    private interface SourceStep {
        SourceCatalog read() throws IOException;
    }

    private ImportTimings run(String name, String format, String sourceDescription, int minCount, SourceStep reader,
            boolean rollBack) {
        requireNewName(name);
        long start = System.nanoTime();
        SourceCatalog source;
        try {
            source = reader.read();
        } catch (IOException e) {
            throw new InvalidDatasetException("cannot read the source files: " + e.getMessage(), e);
        }
        long read = System.nanoTime();
        PreparedCatalog prepared = DataProtocol.apply(source, minCount);
        long protocol = System.nanoTime();
        long[] snapshotNanos = new long[1];
        DatasetSummary summary;
        try {
            summary = transaction.execute(status -> {
                Dataset dataset = datasets.saveAndFlush(
                        new Dataset(name, format, sourceDescription, minCount, prepared, source.rows()));
                store.write(dataset.id(), prepared);
                if (rollBack) {
                    long loadStart = System.nanoTime();
                    store.loadSnapshot(dataset.id(), name);
                    snapshotNanos[0] = System.nanoTime() - loadStart;
                    status.setRollbackOnly();
                }
                return dataset.summary();
            });
        } catch (DataIntegrityViolationException e) {
            if (datasets.existsByName(name)) {
                throw duplicate(name);
            }
            throw e;
        }
        long stored = System.nanoTime();
        ImportTimings timings = new ImportTimings(summary, millis(read - start), millis(protocol - read),
                millis(stored - protocol - snapshotNanos[0]), millis(snapshotNanos[0]));
        if (!rollBack) {
            log.info("Imported dataset {} ({}): {} users, {} items, {} interactions, {} categories in {} ms"
                            + " (read {} ms, protocol {} ms, store {} ms)", name, format, summary.users(), summary.items(),
                    summary.interactions(), summary.categories(), timings.totalMillis(), timings.readMillis(),
                    timings.protocolMillis(), timings.storeMillis());
        }
        return timings;
    }

    private void requireNewName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidDatasetException("dataset name must be 1 to 64 letters, digits, '.', '_' or '-'"
                    + " starting with a letter or digit, was '" + name + "'");
        }
        if (datasets.existsByName(name)) {
            throw duplicate(name);
        }
    }

    private static ConflictException duplicate(String name) {
        return new ConflictException("a dataset named '" + name + "' already exists");
    }

    private static Path folder(String path) {
        if (path == null || path.isBlank()) {
            throw new InvalidDatasetException("path is required");
        }
        Path folder;
        try {
            folder = Path.of(path);
        } catch (InvalidPathException e) {
            throw new InvalidDatasetException("path is not a valid path: " + e.getReason());
        }
        if (!Files.isDirectory(folder)) {
            throw new InvalidDatasetException("no such folder: " + path);
        }
        return folder;
    }

    private static SourceCatalog read(DatasetFormat format, Path folder) throws IOException {
        return format.reader().read(folder);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
