package io.recalign.system;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

public interface JobRepository extends JpaRepository<Job, Long> {

    /** The most recent jobs first (ids grow with creation). */
    List<Job> findAllByOrderByIdDesc(Limit limit);
}
