package io.recalign.catalog;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.postgresql.copy.PGCopyOutputStream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Repository;

/**
 * Bulk reads and writes of a dataset's rows through PostgreSQL COPY, on the connection of the current
 * transaction (so an import commits or rolls back as one).
 */
@Repository
class CatalogStore {

    private final DataSource dataSource;
    private final JdbcClient jdbc;

    CatalogStore(DataSource dataSource, JdbcClient jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    /** Writes categories, items, users and interactions of an already inserted dataset row. */
    void write(long datasetId, PreparedCatalog catalog) {
        String dataset = Long.toString(datasetId);
        copyIn("copy categories (dataset_id, idx, name) from stdin", out -> {
            for (int c = 0; c < catalog.categories().size(); c++) {
                row(out, dataset, Integer.toString(c), text(catalog.categories().get(c)));
            }
        });
        copyIn("copy items (dataset_id, idx, external_id, title, categories) from stdin", out -> {
            for (int i = 0; i < catalog.items().size(); i++) {
                CatalogSnapshot.Item item = catalog.items().get(i);
                row(out, dataset, Integer.toString(i), text(item.externalId()), text(item.title()),
                        intArray(item.categories()));
            }
        });
        copyIn("copy users (dataset_id, idx, external_id) from stdin", out -> {
            for (int u = 0; u < catalog.userIds().size(); u++) {
                row(out, dataset, Integer.toString(u), text(catalog.userIds().get(u)));
            }
        });
        copyIn("copy interactions (dataset_id, user_idx, position, item_idx, source_timestamp, rating, split)"
                + " from stdin", out -> {
            int[] starts = catalog.sequenceStarts();
            for (int u = 0; u < catalog.userIds().size(); u++) {
                String user = Integer.toString(u);
                int length = starts[u + 1] - starts[u];
                for (int p = 0; p < length; p++) {
                    int i = starts[u] + p;
                    float rating = catalog.ratings()[i];
                    row(out, dataset, user, Integer.toString(p), Integer.toString(catalog.sequenceItems()[i]),
                            Long.toString(catalog.timestamps()[i]), Float.isNaN(rating) ? NULL : Float.toString(rating),
                            Split.of(p, length).label());
                }
            }
        });
    }

    CatalogSnapshot loadSnapshot(long datasetId, String name) {
        List<String> categories = jdbc.sql("select name from categories where dataset_id = ? order by idx")
                .param(datasetId).query(String.class).list();
        List<CatalogSnapshot.Item> items = jdbc.sql(
                        "select external_id, title, categories from items where dataset_id = ? order by idx")
                .param(datasetId)
                .query((rs, n) -> new CatalogSnapshot.Item(rs.getString(1), rs.getString(2), ints(rs.getArray(3))))
                .list();
        List<String> userIds = jdbc.sql("select external_id from users where dataset_id = ? order by idx")
                .param(datasetId).query(String.class).list();
        List<CatalogSnapshot.UserSequence> users = new ArrayList<>(userIds.size());
        copyOut("copy (select user_idx, item_idx from interactions where dataset_id = " + datasetId
                + " order by user_idx, position) to stdout", in -> {
            int[] sequence = new int[64];
            int length = 0;
            int current = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int tab = line.indexOf('\t');
                int user = Integer.parseInt(line, 0, tab, 10);
                if (user != current) {
                    users.add(new CatalogSnapshot.UserSequence(userIds.get(current), Arrays.copyOf(sequence, length)));
                    current = user;
                    length = 0;
                }
                if (length == sequence.length) {
                    sequence = Arrays.copyOf(sequence, length * 2);
                }
                sequence[length++] = Integer.parseInt(line, tab + 1, line.length(), 10);
            }
            if (length > 0) {
                users.add(new CatalogSnapshot.UserSequence(userIds.get(current), Arrays.copyOf(sequence, length)));
            }
        });
        if (users.size() != userIds.size()) {
            throw new IllegalStateException("dataset " + name + " has users without interactions");
        }
        return new CatalogSnapshot(name, items, categories, users);
    }

    private static int[] ints(Array array) throws SQLException {
        Integer[] values = (Integer[]) array.getArray();
        return Arrays.stream(values).mapToInt(Integer::intValue).toArray();
    }

    // COPY text format: tab-separated columns, \N for null, backslash escapes inside values.

    private static final String NULL = "\\N";

    private static void row(Writer out, String... columns) throws IOException {
        for (int c = 0; c < columns.length; c++) {
            if (c > 0) {
                out.write('\t');
            }
            out.write(columns[c]);
        }
        out.write('\n');
    }

    static String text(String value) {
        StringBuilder escaped = null;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            String replacement = switch (ch) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (replacement != null && escaped == null) {
                escaped = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (escaped != null) {
                if (replacement != null) {
                    escaped.append(replacement);
                } else {
                    escaped.append(ch);
                }
            }
        }
        return escaped == null ? value : escaped.toString();
    }

    private static String intArray(int[] values) {
        StringBuilder array = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            array.append(i == 0 ? "" : ",").append(values[i]);
        }
        return array.append('}').toString();
    }

    @FunctionalInterface
    private interface RowWriter {
        void write(Writer out) throws IOException;
    }

    @FunctionalInterface
    private interface LineConsumer {
        void read(BufferedReader in) throws IOException;
    }

    private void copyIn(String sql, RowWriter rows) {
        onConnection("bulk write", connection -> {
            try (Writer out = new BufferedWriter(new OutputStreamWriter(
                    new PGCopyOutputStream(connection, sql, 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
                rows.write(out);
            }
        });
    }

    private void copyOut(String sql, LineConsumer lines) {
        onConnection("bulk read", connection -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new PGCopyInputStream(connection, sql), StandardCharsets.UTF_8), 1 << 16)) {
                lines.read(in);
            }
        });
    }

    @FunctionalInterface
    private interface ConnectionWork {
        void run(PGConnection connection) throws SQLException, IOException;
    }

    /** Runs on the connection of the current transaction, which stays open for the rest of it. */
    private void onConnection(String what, ConnectionWork work) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            work.run(connection.unwrap(PGConnection.class));
        } catch (SQLException e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(what + " failed: " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
