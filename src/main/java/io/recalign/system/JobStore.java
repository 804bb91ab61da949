package io.recalign.system;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The job queue's state changes that need no lease: each one a single conditional statement, so
 * concurrent clients, workers and replicas cannot move a job through two transitions at once.
 */
@Component
class JobStore {

    private final JdbcClient jdbc;

    JobStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insertQueued(String type, String dataset, String paramsJson) {
        return jdbc.sql("insert into jobs (type, status, dataset, params) values (?, 'QUEUED', ?, cast(? as jsonb)) returning id")
                .params(type, dataset, paramsJson).query(Long.class).single();
    }

    /** Cancels a job that no worker has claimed yet; false when it is no longer queued. */
    boolean cancelQueued(long id) {
        return jdbc.sql("update jobs set status = 'CANCELLED', finished_at = now() where id = ? and status = 'QUEUED'")
                .param(id).update() == 1;
    }

    /** Asks the process running the job to cancel it; false when it is no longer running. */
    boolean requestCancel(long id) {
        return jdbc.sql("update jobs set cancel_requested = true where id = ? and status = 'RUNNING'")
                .param(id).update() == 1;
    }

    List<Long> runningIds() {
        return jdbc.sql("select id from jobs where status = 'RUNNING' order by id").query(Long.class).list();
    }

    /** How many jobs wait and run, over every process sharing the database. */
    Map<JobStatus, Long> activeCounts() {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        counts.put(JobStatus.QUEUED, 0L);
        counts.put(JobStatus.RUNNING, 0L);
        jdbc.sql("select status, count(*) from jobs where status in ('QUEUED', 'RUNNING') group by status")
                .query((row, n) -> Map.entry(JobStatus.valueOf(row.getString(1)), row.getLong(2)))
                .list().forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
        return counts;
    }
}
