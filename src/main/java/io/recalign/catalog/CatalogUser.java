package io.recalign.catalog;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A user of one dataset. */
@Entity
@Table(name = "users")
class CatalogUser extends DatasetMember {

    protected CatalogUser() {
    }
}
