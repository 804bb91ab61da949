package io.recalign.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

/**
 * A row that belongs to one dataset: an item or a user, with its dense index (as in
 * {@link CatalogSnapshot}) and its external id. Rows are written in bulk by {@link CatalogStore} and
 * read through JPA.
 */
@MappedSuperclass
abstract class DatasetMember {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "dataset_id", nullable = false)
    private long datasetId;

    @Column(nullable = false)
    private int idx;

    @Column(name = "external_id", nullable = false)
    private String externalId;

    int idx() {
        return idx;
    }

    String externalId() {
        return externalId;
    }
}
