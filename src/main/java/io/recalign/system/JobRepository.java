package io.recalign.system;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface JobRepository extends JpaRepository<Job, Long> {

    /** The most recent jobs first (ids grow with creation); a null status or type matches all. */
    @Query("""
            select j from Job j
            where (:status is null or j.status = :status) and (:type is null or j.type = :type)
            order by j.id desc""")
    List<Job> findRecent(JobStatus status, String type, Limit limit);
}
