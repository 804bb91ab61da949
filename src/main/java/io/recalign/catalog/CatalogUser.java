package io.recalign.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user of one dataset; rows are written in bulk by {@link CatalogStore}, read through JPA. */
@Entity
@Table(name = "users")
class CatalogUser {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "dataset_id", nullable = false)
    private long datasetId;

    /** Dense index within the dataset, as in {@link CatalogSnapshot#users()}. */
    @Column(nullable = false)
    private int idx;

    @Column(name = "external_id", nullable = false)
    private String externalId;

    protected CatalogUser() {
    }

    int idx() {
        return idx;
    }

    String externalId() {
        return externalId;
    }
}
