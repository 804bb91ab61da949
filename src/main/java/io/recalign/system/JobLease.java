package io.recalign.system;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The right to run one job: a database session holding a PostgreSQL advisory lock on the job for as
 * long as it runs. The lock is taken in the same transaction that marks the job RUNNING, and the
 * database drops it when the process dies, so "RUNNING and unlocked" reliably means "orphaned": its
 * process is gone, whichever replica or command it was. All of the job's writes go through this
 * session, so nothing is written for a job after its lock was lost.
 */
final class JobLease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobLease.class);
    /** First key of the two-key advisory lock, so job locks cannot clash with other uses ("jobs"). */
    private static final int LOCK_SPACE = 0x6A6F6273;
    private static final int MAX_ERROR_LENGTH = 2000;
    private static final String SELECT_JOB = """
            select id, type, dataset, params::text as params, progress::text as progress,
                   started_at is not null as resuming, cancel_requested
            from jobs
            """;

    /** The row of a leased job as it was when the lease was taken. */
    record LeasedJob(long id, String type, String dataset, String params, String progress,
            boolean resuming, boolean cancelRequested) {
    }

    private final Connection connection;
    private final JdbcClient jdbc;
    private final LeasedJob job;

    private JobLease(Connection connection, JdbcClient jdbc, LeasedJob job) {
        this.connection = connection;
        this.jdbc = jdbc;
        this.job = job;
    }

    /** Claims the oldest queued job of these types, or nothing when none is free. */
    static Optional<JobLease> claimNext(DataSource dataSource, Collection<String> types) {
        if (types.isEmpty()) {
            return Optional.empty();
        }
        return inTransaction(dataSource, (connection, jdbc) -> {
            Array typeArray = connection.createArrayOf("text", types.toArray());
            List<LeasedJob> next = jdbc.sql(SELECT_JOB + """
                    where status = 'QUEUED' and type = any(?)
                    order by id limit 1 for update skip locked""")
                    .param(typeArray).query(LeasedJob.class).list();
            if (next.isEmpty() || !tryLock(jdbc, next.get(0).id())) {
                return null;
            }
            jdbc.sql("update jobs set status = 'RUNNING', started_at = coalesce(started_at, now()) where id = ?")
                    .param(next.get(0).id()).update();
            return next.get(0);
        });
    }

    /** Creates a job that is RUNNING from the start, for a command that runs it in the foreground. */
    static JobLease startNow(DataSource dataSource, String type, String dataset, String paramsJson) {
        return inTransaction(dataSource, (connection, jdbc) -> {
            long id = jdbc.sql("""
                    insert into jobs (type, status, dataset, params, started_at)
                    values (?, 'RUNNING', ?, cast(? as jsonb), now()) returning id""")
                    .params(type, dataset, paramsJson).query(Long.class).single();
            if (!tryLock(jdbc, id)) {
                throw new IllegalStateException("the lock of new job " + id + " is held by another session");
            }
            return new LeasedJob(id, type, dataset, paramsJson, "{}", false, false);
        }).orElseThrow();
    }

    /** Takes over a RUNNING job whose process is gone; nothing when its process still holds it. */
    static Optional<JobLease> adoptOrphan(DataSource dataSource, long id) {
        return inTransaction(dataSource, (connection, jdbc) -> {
            if (!tryLock(jdbc, id)) {
                return null;
            }
            // it may have finished between the caller's look and the lock
            return jdbc.sql(SELECT_JOB + "where id = ? and status = 'RUNNING'").param(id)
                    .query(LeasedJob.class).optional().orElse(null);
        });
    }

    LeasedJob job() {
        return job;
    }

    void saveProgress(String progressJson) {
        jdbc.sql("update jobs set progress = cast(? as jsonb) where id = ? and status = 'RUNNING'")
                .params(progressJson, job.id()).update();
    }

    boolean cancelRequested() {
        return jdbc.sql("select cancel_requested from jobs where id = ?").param(job.id())
                .query(Boolean.class).single();
    }

    /** Records the final state; a null progress keeps the stored one. */
    void finish(JobStatus status, String error, String progressJson) {
        if (!status.isFinal()) {
            throw new IllegalArgumentException(status + " is not a final status");
        }
        String storedError = error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
        jdbc.sql("""
                update jobs set status = ?, error = ?, progress = coalesce(cast(? as jsonb), progress), finished_at = now()
                where id = ? and status = 'RUNNING'""")
                .params(status.name(), storedError, progressJson, job.id()).update();
    }

    /** Puts the job back in the queue, to be resumed by whichever worker claims it next. */
    void requeue(String progressJson) {
        jdbc.sql("""
                update jobs set status = 'QUEUED', progress = coalesce(cast(? as jsonb), progress)
                where id = ? and status = 'RUNNING'""")
                .params(progressJson, job.id()).update();
    }

    /** Releases the lock and gives the connection back to the pool. */
    @Override
    public void close() {
        try {
            jdbc.sql("select pg_advisory_unlock(?, ?)").params(LOCK_SPACE, lockKey(job.id())).query(Boolean.class).single();
        } catch (RuntimeException e) {
            log.warn("Could not release the lock of job {} ({}); closing its session releases it", job.id(), e.getMessage());
        } finally {
            closeQuietly(connection);
        }
    }

    private static boolean tryLock(JdbcClient jdbc, long id) {
        return jdbc.sql("select pg_try_advisory_lock(?, ?)").params(LOCK_SPACE, lockKey(id)).query(Boolean.class).single();
    }

    private static int lockKey(long id) {
        return (int) id; // wraps only past four billion jobs, and a clash would only delay a job
    }

    /**
     * Runs {@code work} in one transaction on a fresh session; a non-null result becomes a lease that
     * keeps the session, otherwise the session goes back to the pool.
     */
    private static Optional<JobLease> inTransaction(DataSource dataSource, LeaseWork work) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(connection, true));
            LeasedJob job = work.run(connection, jdbc);
            connection.commit();
            connection.setAutoCommit(true);
            if (job == null) {
                releaseAllLocksAndClose(connection);
                return Optional.empty();
            }
            return Optional.of(new JobLease(connection, jdbc, job));
        } catch (SQLException e) {
            rollbackAndClose(connection);
            throw new DataAccessResourceFailureException("job queue: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollbackAndClose(connection);
            throw e;
        }
    }

    private static void rollbackAndClose(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            log.debug("Rollback of a job queue transaction failed", e);
        }
        releaseAllLocksAndClose(connection);
    }

    /** Session-level advisory locks outlive transactions: drop them before the session goes back to the pool. */
    private static void releaseAllLocksAndClose(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("select pg_advisory_unlock_all()");
        } catch (SQLException e) {
            log.debug("Releasing the locks of a job session failed", e);
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("Closing a job session failed", e);
        }
    }

    @FunctionalInterface
    private interface LeaseWork {
        LeasedJob run(Connection connection, JdbcClient jdbc) throws SQLException;
    }
}
