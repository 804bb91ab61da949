package io.recalign.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An item of one dataset; rows are written in bulk by {@link CatalogStore}, read through JPA. */
@Entity
@Table(name = "items")
class CatalogItem {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "dataset_id", nullable = false)
    private long datasetId;

    /** Dense index within the dataset, as in {@link CatalogSnapshot#items()}. */
    @Column(nullable = false)
    private int idx;

    @Column(name = "external_id", nullable = false)
    private String externalId;

    @Column(nullable = false)
    private String title;

    /** Indices into the dataset's categories. */
    @Column(nullable = false)
    private int[] categories;

    protected CatalogItem() {
    }

    int idx() {
        return idx;
    }

    String externalId() {
        return externalId;
    }

    String title() {
        return title;
    }

    int[] categories() {
        return categories.clone();
    }
}
