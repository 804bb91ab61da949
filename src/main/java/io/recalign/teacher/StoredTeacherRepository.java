package io.recalign.teacher;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface StoredTeacherRepository extends JpaRepository<StoredTeacher, Long> {

    String ROW = "select new io.recalign.teacher.TeacherRow(t.id, t.dataset, t.status, t.active, t.config, t.metrics,"
            + " t.jobId, t.createdAt) from StoredTeacher t";

    /** Id of the dataset's active teacher: a look-up on the partial unique index. */
    @Query("select t.id from StoredTeacher t where t.dataset = :dataset and t.active = true")
    Optional<Long> findActiveId(String dataset);

    @Query(ROW + " where t.id = :id")
    Optional<TeacherRow> findRow(long id);

    /** Newest first; a null dataset matches all. */
    @Query(ROW + " where (:dataset is null or t.dataset = :dataset) order by t.id desc")
    List<TeacherRow> findRows(String dataset, Limit limit);

    /** Retires the dataset's active teacher, if any; run before another becomes active (one active per dataset). */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update StoredTeacher t set t.active = false, t.status = io.recalign.teacher.TeacherStatus.RETIRED"
            + " where t.datasetId = :datasetId and t.active = true")
    int retireActive(long datasetId);
}
