package io.recalign.catalog;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface DatasetRepository extends JpaRepository<Dataset, Long> {

    Optional<Dataset> findByName(String name);

    boolean existsByName(String name);

    List<Dataset> findAllByOrderByCreatedAtAscIdAsc();
}
