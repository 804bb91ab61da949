package io.recalign.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** An item of one dataset. */
@Entity
@Table(name = "items")
class CatalogItem extends DatasetMember {

    @Column(nullable = false)
    private String title;

    /** Indices into the dataset's categories. */
    @Column(nullable = false)
    private int[] categories;

    protected CatalogItem() {
    }

    String title() {
        return title;
    }

    int[] categories() {
        return categories.clone();
    }
}
