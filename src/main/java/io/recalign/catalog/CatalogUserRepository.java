package io.recalign.catalog;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface CatalogUserRepository extends JpaRepository<CatalogUser, Long> {

    Optional<CatalogUser> findByDatasetIdAndExternalId(long datasetId, String externalId);
}
